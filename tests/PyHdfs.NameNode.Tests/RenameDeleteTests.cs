using PyHdfs.NameNode.Tests.Support;
using PyHdfs.Protocol;
using PyHdfs.Protocol.NameNode;
using static PyHdfs.NameNode.Tests.Support.NamespaceHarness;

namespace PyHdfs.NameNode.Tests;

public sealed class RenameDeleteTests
{
    private static Task Rename(NamespaceHarness h, string from, string to) => h.Fs.RenameAsync(from, to, null, CancellationToken.None);

    private static Task<DeleteResponse> Delete(NamespaceHarness h, string path, bool recursive) =>
        h.Fs.DeleteAsync(path, recursive, null, CancellationToken.None);

    [Fact]
    public async Task Rename_moves_a_subtree_keeping_inode_ids()
    {
        var h = new NamespaceHarness();
        var id = await h.WriteFileAsync("/a/b/f", 7);
        await h.MkdirsAsync("/z");
        await Rename(h, "/a/b", "/z/c");
        Assert.Equal(id, h.Fs.GetFileInfo("/z/c/f").FileId);
        Assert.Equal(7, h.Fs.GetFileInfo("/z/c/f").Length);
        await ThrowsAsync(ErrorKind.FileNotFound, () => Task.FromResult(h.Fs.GetFileInfo("/a/b")));
    }

    [Fact]
    public async Task Rename_of_a_missing_source_is_file_not_found()
    {
        var h = new NamespaceHarness();
        var e = await ThrowsAsync(ErrorKind.FileNotFound, () => Rename(h, "/nope", "/x"));
        Assert.Equal("/nope: no such file or directory", e.Message);
    }

    [Fact]
    public async Task Rename_onto_an_existing_name_is_already_exists()
    {
        var h = new NamespaceHarness();
        await h.MkdirsAsync("/a");
        await h.MkdirsAsync("/b");
        var e = await ThrowsAsync(ErrorKind.AlreadyExists, () => Rename(h, "/a", "/b"));
        Assert.Equal("/b: already exists", e.Message);
        await ThrowsAsync(ErrorKind.AlreadyExists, () => Rename(h, "/a", "/a"));
    }

    [Fact]
    public async Task Rename_needs_the_destination_parent_to_be_an_existing_directory()
    {
        var h = new NamespaceHarness();
        await h.MkdirsAsync("/a");
        await h.WriteFileAsync("/f", 1);
        await ThrowsAsync(ErrorKind.ParentNotFound, () => Rename(h, "/a", "/missing/a"));
        await ThrowsAsync(ErrorKind.NotADirectory, () => Rename(h, "/a", "/f/a"));
    }

    [Fact]
    public async Task Rename_into_its_own_subtree_is_refused()
    {
        var h = new NamespaceHarness();
        await h.MkdirsAsync("/a/b");
        var e = await ThrowsAsync(ErrorKind.MoveIntoSelf, () => Rename(h, "/a", "/a/b/a"));
        Assert.Contains("/a", e.Message);
    }

    [Fact]
    public async Task The_root_cannot_be_renamed_or_deleted()
    {
        var h = new NamespaceHarness();
        await ThrowsAsync(ErrorKind.InvalidArgument, () => Rename(h, "/", "/x"));
        await ThrowsAsync(ErrorKind.InvalidArgument, () => Delete(h, "/", true));
    }

    [Fact]
    public async Task Delete_of_a_missing_path_is_file_not_found()
    {
        var h = new NamespaceHarness();
        var e = await ThrowsAsync(ErrorKind.FileNotFound, () => Delete(h, "/a/b", false));
        Assert.Equal("/a/b: no such file or directory", e.Message);
    }

    [Fact]
    public async Task Delete_of_a_non_empty_directory_needs_recursive()
    {
        var h = new NamespaceHarness();
        await h.WriteFileAsync("/d/f", 3);
        await ThrowsAsync(ErrorKind.NotEmpty, () => Delete(h, "/d", false));
        await h.MkdirsAsync("/empty");
        await Delete(h, "/empty", false);
        await ThrowsAsync(ErrorKind.FileNotFound, () => Task.FromResult(h.Fs.GetFileInfo("/empty")));
    }

    [Fact]
    public async Task Delete_recursive_removes_the_subtree_with_files_under_construction_and_garbage_collects_replicas()
    {
        var h = new NamespaceHarness();
        await h.WriteFileAsync("/d/f1", 10, 20);
        await h.WriteFileAsync("/d/e/f2", 30);
        var pending = await h.CreateAsync("/d/e/writing");
        var added = await h.AddBlockAsync("/d/e/writing", pending.FileId);
        h.Received(added.Block.Locations[0].Id, added.Block.Block, 5);
        var blocksBefore = h.Fs.Blocks.Count;

        var result = await Delete(h, "/d", true);

        Assert.Equal(3, result.FilesDeleted);
        Assert.Equal(2, result.DirectoriesDeleted);
        Assert.Equal(4, result.BlocksDeleted);
        Assert.Equal(4, blocksBefore);
        Assert.Equal(0, h.Fs.Blocks.Count);
        Assert.Equal(0, h.Fs.Leases.Count);
        var queued = Enumerable.Range(1, 3).Sum(i => h.DataNodes.PendingDeleteCount($"dn{i}"));
        Assert.Equal(3 * 2 + 1, queued); // three complete blocks with two replicas, one replica of the open block
        var commands = h.DataNodes.Heartbeat(Info("dn1"))!;
        Assert.All(commands, c => Assert.Equal(DataNodeCommand.CommandOneofCase.Delete, c.CommandCase));
        Assert.Equal(0, h.DataNodes.PendingDeleteCount("dn1"));
        var (files, directories, _) = h.Fs.Counts();
        Assert.Equal((0, 1), (files, directories));
    }

    [Fact]
    public async Task A_file_under_construction_can_be_deleted_by_name()
    {
        var h = new NamespaceHarness();
        await h.CreateAsync("/w", client: "crashed");
        await Delete(h, "/w", false);
        await h.CreateAsync("/w", client: "next");
        Assert.Equal(1, h.Fs.Leases.Count);
    }

    [Fact]
    public async Task Set_replication_journals_and_validates()
    {
        var h = new NamespaceHarness();
        await h.WriteFileAsync("/f", 1);
        await h.Fs.SetReplicationAsync("/f", 3, CancellationToken.None);
        Assert.Equal(3, h.Fs.GetFileInfo("/f").Replication);
        await ThrowsAsync(ErrorKind.InvalidArgument, () => h.Fs.SetReplicationAsync("/f", 0, CancellationToken.None));
        await ThrowsAsync(ErrorKind.FileNotFound, () => h.Fs.SetReplicationAsync("/g", 1, CancellationToken.None));
        await ThrowsAsync(ErrorKind.IsADirectory, () => h.Fs.SetReplicationAsync("/", 1, CancellationToken.None));
    }
}
