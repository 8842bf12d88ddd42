using PyHdfs.Client;
using PyHdfs.Protocol;
using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests;

/// <summary>Wrong requests through the client API fail with a typed kind, naming the path, and change nothing.</summary>
[Collection(StandardCluster.Name)]
public sealed class BadInputTests(PyHdfsCluster cluster)
{
    private DfsClient Client => cluster.Client;

    [Fact]
    public async Task Create_over_an_existing_file_without_overwrite_fails_and_keeps_the_original()
    {
        var path = UniquePath("exists");
        var original = Random(5000, 1);
        await Dfs.WriteAsync(Client, path, original);

        var error = await Dfs.AssertFailsAsync(() => Dfs.WriteAsync(Client, path, Random(10, 2)), ErrorKind.AlreadyExists);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Dfs.AssertSameBytes(original, await Dfs.ReadAllAsync(Client, path), path);

        var replacement = Random(70, 3);
        await Dfs.WriteAsync(Client, path, replacement, new DfsCreateOptions { Overwrite = true });
        Dfs.AssertSameBytes(replacement, await Dfs.ReadAllAsync(Client, path), path);
    }

    [Fact]
    public async Task Missing_paths_are_not_found()
    {
        var path = UniquePath("missing");
        var error = await Dfs.AssertFailsAsync(() => Client.OpenAsync(path, Dfs.Token), ErrorKind.FileNotFound);
        Assert.Equal(path, error.Path);
        await Dfs.AssertFailsAsync(() => Client.GetFileStatusAsync(path, Dfs.Token), ErrorKind.FileNotFound);
        await Dfs.AssertFailsAsync(() => Client.RenameAsync(path, path + "-2", Dfs.Token), ErrorKind.FileNotFound);
    }

    [Fact]
    public async Task Mkdir_under_a_file_fails()
    {
        var file = UniquePath("file");
        await Dfs.WriteAsync(Client, file, Random(10, 4));
        await Dfs.AssertFailsAsync(() => Client.MkdirsAsync(file + "/sub", createParent: true, Dfs.Token), ErrorKind.NotADirectory);
        Assert.False((await Client.GetFileStatusAsync(file, Dfs.Token)).IsDirectory);
    }

    [Fact]
    public async Task Delete_of_a_non_empty_directory_without_recursive_deletes_nothing()
    {
        var directory = UniquePath("full");
        await Dfs.WriteAsync(Client, directory + "/inner/file", Random(10, 5));

        await Dfs.AssertFailsAsync(() => Client.DeleteAsync(directory, recursive: false, Dfs.Token), ErrorKind.NotEmpty);

        Assert.Equal(10, (await Client.GetFileStatusAsync(directory + "/inner/file", Dfs.Token)).Length);
    }

    [Fact]
    public async Task Rename_onto_an_existing_file_fails_and_keeps_both()
    {
        var a = UniquePath("a");
        var b = UniquePath("b");
        await Dfs.WriteAsync(Client, a, Random(11, 6));
        await Dfs.WriteAsync(Client, b, Random(22, 7));

        await Dfs.AssertFailsAsync(() => Client.RenameAsync(a, b, Dfs.Token), ErrorKind.AlreadyExists);

        Assert.Equal(11, (await Client.GetFileStatusAsync(a, Dfs.Token)).Length);
        Assert.Equal(22, (await Client.GetFileStatusAsync(b, Dfs.Token)).Length);
    }

    [Fact]
    public async Task Rename_of_a_directory_into_its_own_subtree_fails()
    {
        var directory = UniquePath("self");
        await Client.MkdirsAsync(directory + "/child", createParent: true, Dfs.Token);

        await Dfs.AssertFailsAsync(() => Client.RenameAsync(directory, directory + "/child/moved", Dfs.Token), ErrorKind.MoveIntoSelf);

        Assert.True((await Client.GetFileStatusAsync(directory + "/child", Dfs.Token)).IsDirectory);
    }

    [Theory]
    [InlineData("relative/path")]
    [InlineData("")]
    [InlineData("/a/../../etc")]
    [InlineData("/a/./b")]
    [InlineData("/bad:name")]
    public async Task Invalid_paths_are_rejected(string path)
    {
        await Dfs.AssertFailsAsync(() => Client.MkdirsAsync(path, createParent: true, Dfs.Token), ErrorKind.InvalidPath);
        await Dfs.AssertFailsAsync(() => Dfs.WriteAsync(Client, path, [1]), ErrorKind.InvalidPath);
    }

    [Fact]
    public async Task Over_long_paths_are_rejected()
    {
        var longName = "/" + new string('x', 256);
        var longPath = string.Concat(Enumerable.Repeat("/abcdefghij", 420));
        await Dfs.AssertFailsAsync(() => Client.MkdirsAsync(longName, createParent: true, Dfs.Token), ErrorKind.InvalidPath);
        await Dfs.AssertFailsAsync(() => Client.MkdirsAsync(longPath, createParent: true, Dfs.Token), ErrorKind.InvalidPath);
    }

    [Fact]
    public async Task Opening_a_directory_fails()
    {
        var directory = UniquePath("dir");
        await Client.MkdirsAsync(directory, createParent: true, Dfs.Token);
        await Dfs.AssertFailsAsync(() => Client.OpenAsync(directory, Dfs.Token), ErrorKind.IsADirectory);
    }
}
