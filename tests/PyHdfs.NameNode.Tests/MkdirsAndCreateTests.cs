using PyHdfs.NameNode.Tests.Support;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Metadata;
using PyHdfs.Protocol.NameNode;
using static PyHdfs.NameNode.Tests.Support.NamespaceHarness;

namespace PyHdfs.NameNode.Tests;

public sealed class MkdirsAndCreateTests
{
    [Fact]
    public async Task Mkdirs_with_parents_creates_every_missing_directory_and_journals_one_op_each()
    {
        var h = new NamespaceHarness();
        await h.MkdirsAsync("/a/b/c");
        Assert.Equal(FileType.Directory, h.Fs.GetFileInfo("/a/b/c").Type);
        Assert.Equal("alice", h.Fs.GetFileInfo("/a/b").Owner);
        Assert.Equal([NamespaceOp.OpOneofCase.Mkdir, NamespaceOp.OpOneofCase.Mkdir, NamespaceOp.OpOneofCase.Mkdir], h.Log.Kinds());
    }

    [Fact]
    public async Task Mkdirs_of_an_existing_directory_is_fine_with_parents_and_already_exists_without()
    {
        var h = new NamespaceHarness();
        await h.MkdirsAsync("/a");
        await h.MkdirsAsync("/a");
        var e = await ThrowsAsync(ErrorKind.AlreadyExists, () => h.MkdirsAsync("/a", parents: false));
        Assert.Equal("/a: already exists", e.Message);
        Assert.Single(h.Log.Entries);
    }

    [Fact]
    public async Task Mkdirs_without_parents_needs_the_parent()
    {
        var h = new NamespaceHarness();
        var e = await ThrowsAsync(ErrorKind.ParentNotFound, () => h.MkdirsAsync("/x/y", parents: false));
        Assert.Contains("/x/y", e.Message);
        Assert.Empty(h.Log.Entries);
    }

    [Fact]
    public async Task Mkdirs_through_a_file_is_not_a_directory()
    {
        var h = new NamespaceHarness();
        await h.WriteFileAsync("/f", 10);
        var e = await ThrowsAsync(ErrorKind.NotADirectory, () => h.MkdirsAsync("/f/g"));
        Assert.Equal("/f/g: /f is not a directory", e.Message);
        await ThrowsAsync(ErrorKind.AlreadyExists, () => h.MkdirsAsync("/f"));
    }

    [Fact]
    public async Task Mkdirs_rejects_invalid_paths()
    {
        var h = new NamespaceHarness();
        await ThrowsAsync(ErrorKind.InvalidPath, () => h.MkdirsAsync("relative"));
        await ThrowsAsync(ErrorKind.InvalidPath, () => h.MkdirsAsync("/a/../b"));
    }

    [Fact]
    public async Task Create_uses_the_defaults_and_the_file_stays_invisible_until_complete()
    {
        var h = new NamespaceHarness();
        var status = await h.CreateAsync("/f");
        Assert.Equal(2, status.Replication);
        Assert.Equal(BlockSize, status.BlockSize);
        Assert.True(status.FileId > 1);
        await ThrowsAsync(ErrorKind.FileNotFound, () => Task.FromResult(h.Fs.GetFileInfo("/f")));
        Assert.Empty(h.Fs.GetListing("/", null, 0).Entries);
        Assert.Equal(0, h.Fs.GetFileInfo("/").ChildrenCount);
        Throws(ErrorKind.FileNotFound, () => h.Fs.GetBlockLocations("/f", 0, 0));

        Assert.True(await h.CompleteAsync("/f", status.FileId, null));
        Assert.Equal(0, h.Fs.GetFileInfo("/f").Length);
        Assert.Single(h.Fs.GetListing("/", null, 0).Entries);
    }

    [Fact]
    public async Task Create_an_existing_file_without_overwrite_is_already_exists()
    {
        var h = new NamespaceHarness();
        await h.WriteFileAsync("/x", 5);
        var e = await ThrowsAsync(ErrorKind.AlreadyExists, () => h.CreateAsync("/x", client: "other"));
        Assert.Equal("/x: already exists", e.Message);
    }

    [Fact]
    public async Task Create_with_overwrite_deletes_the_old_file_and_its_blocks_in_the_same_batch()
    {
        var h = new NamespaceHarness();
        var oldId = await h.WriteFileAsync("/x", 5);
        var oldBlock = h.Fs.GetBlockLocations("/x", 0, 0).Blocks.Single();
        var before = h.Log.Entries.Count;

        var status = await h.CreateAsync("/x", client: "other", overwrite: true);

        Assert.NotEqual(oldId, status.FileId);
        Assert.Equal([NamespaceOp.OpOneofCase.Delete, NamespaceOp.OpOneofCase.CreateFile], h.Log.Kinds().Skip(before));
        Assert.Equal(oldId, h.Log.Entries[before].Op.Delete.InodeId);
        Assert.Null(h.Fs.Blocks.Get(oldBlock.Block.BlockId));
        foreach (var location in oldBlock.Locations)
        {
            Assert.Equal(1, h.DataNodes.PendingDeleteCount(location.Id));
        }
    }

    [Fact]
    public async Task Create_over_a_directory_is_a_directory()
    {
        var h = new NamespaceHarness();
        await h.MkdirsAsync("/d");
        await ThrowsAsync(ErrorKind.IsADirectory, () => h.CreateAsync("/d", overwrite: true));
        await ThrowsAsync(ErrorKind.IsADirectory, () => h.CreateAsync("/"));
    }

    [Fact]
    public async Task Create_over_a_file_under_construction_names_the_lease_holder()
    {
        var h = new NamespaceHarness();
        await h.CreateAsync("/w", client: "writer-7");
        var e = await ThrowsAsync(ErrorKind.LeaseConflict, () => h.CreateAsync("/w", client: "writer-8", overwrite: true));
        Assert.Contains("writer-7", e.Message);
        Assert.Contains("/w", e.Message);
    }

    [Fact]
    public async Task A_retried_create_by_the_same_writer_returns_the_same_file()
    {
        var h = new NamespaceHarness();
        var first = await h.CreateAsync("/w");
        var again = await h.CreateAsync("/w");
        Assert.Equal(first.FileId, again.FileId);
        Assert.Single(h.Log.Entries);
    }

    [Fact]
    public async Task Create_needs_the_parent_unless_asked_to_create_it()
    {
        var h = new NamespaceHarness();
        var e = await ThrowsAsync(ErrorKind.ParentNotFound, () => h.CreateAsync("/p/q/f"));
        Assert.Equal("/p/q/f: parent directory /p/q does not exist", e.Message);
        await h.CreateAsync("/p/q/f", createParent: true);
        Assert.Equal(FileType.Directory, h.Fs.GetFileInfo("/p/q").Type);
    }

    [Fact]
    public async Task Create_under_a_file_is_not_a_directory()
    {
        var h = new NamespaceHarness();
        await h.WriteFileAsync("/f", 1);
        await ThrowsAsync(ErrorKind.NotADirectory, () => h.CreateAsync("/f/g"));
        await ThrowsAsync(ErrorKind.NotADirectory, () => h.CreateAsync("/f/g/h", createParent: true));
    }

    [Theory]
    [InlineData(33, 0)]
    [InlineData(-1, 0)]
    [InlineData(1, 1000)]
    [InlineData(1, 64 * 1024 + 1)]
    [InlineData(1, 3L * 1024 * 1024 * 1024)]
    public async Task Create_validates_replication_and_block_size(int replication, long blockSize)
    {
        var h = new NamespaceHarness();
        var e = await ThrowsAsync(ErrorKind.InvalidArgument, () => h.Fs.CreateAsync(
            new CreateRequest { Path = "/f", ClientName = "c", Replication = replication, BlockSize = blockSize }, null, CancellationToken.None));
        Assert.StartsWith("/f: ", e.Message);
    }

    [Fact]
    public async Task Create_accepts_explicit_replication_and_block_size()
    {
        var h = new NamespaceHarness();
        var status = await h.Fs.CreateAsync(new CreateRequest { Path = "/f", ClientName = "c", Replication = 3, BlockSize = 64 * 1024 }, null, CancellationToken.None);
        Assert.Equal(3, status.Replication);
        Assert.Equal(64 * 1024, status.BlockSize);
        var op = h.Log.Entries.Single().Op.CreateFile;
        Assert.Equal("c", op.ClientName);
        Assert.Equal(3, op.Replication);
    }
}
