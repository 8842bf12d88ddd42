using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests.Hadoop;

/// <summary>
/// Debian's Go `hdfs` client, unmodified, changing the namespace through the Hadoop RPC endpoint; each change
/// is checked through our own client library, so both front doors are seen to share one namespace.
/// </summary>
[Collection(StandardCluster.Name)]
public sealed class HadoopCliNamespaceTests(PyHdfsCluster cluster)
{
    private static readonly string SuperUser = Environment.UserName;

    private string Address => HadoopCli.Address(cluster);

    private static string[][] Columns(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))];

    private static uint Octal(string mode) => Convert.ToUInt32(mode, 8);

    private async Task<string> HdfsAsync(params string[] args)
    {
        var (exit, stdout, stderr) = await HadoopCli.RunAsync(Address, SuperUser, args);
        Assert.True(exit == 0, $"hdfs {string.Join(' ', args)} exited {exit}: {stderr}");
        return stdout;
    }

    private async Task<string> HdfsFailsAsync(params string[] args)
    {
        var (exit, _, stderr) = await HadoopCli.RunAsync(Address, SuperUser, args);
        Assert.True(exit == 1, $"hdfs {string.Join(' ', args)} exited {exit}, expected 1: {stderr}");
        return stderr.Trim();
    }

    [Fact]
    public async Task Mkdir_creates_directories_with_clean_modes_and_refuses_what_hadoop_refuses()
    {
        HadoopCli.SkipUnlessInstalled();
        var dir = UniquePath("hadoop-mkdir");

        await HdfsAsync("mkdir", "-p", dir + "/a/b");

        var created = await cluster.Client.GetFileStatusAsync(dir + "/a/b", Dfs.Token);
        Assert.True(created.IsDirectory);
        Assert.Equal(Octal("755"), created.Permission); // the client sends os.ModeDir|0755: bit 31 must not be stored
        Assert.Equal(SuperUser, created.Owner);
        await HdfsAsync("mkdir", "-p", dir + "/a/b"); // -p on an existing directory succeeds
        Assert.Equal($"mkdir {dir}/a: file already exists", await HdfsFailsAsync("mkdir", dir + "/a"));
        Assert.Equal($"mkdir {dir}/x/y: file does not exist", await HdfsFailsAsync("mkdir", dir + "/x/y"));
    }

    [Fact]
    public async Task Touch_creates_an_empty_file_and_sets_the_times_of_an_existing_one()
    {
        HadoopCli.SkipUnlessInstalled();
        var dir = UniquePath("hadoop-touch");
        await cluster.Client.MkdirsAsync(dir, createParent: true, Dfs.Token);
        await Dfs.WriteAsync(cluster.Client, dir + "/old", Random(100, seed: 3));
        var oldTime = DateTimeOffset.UtcNow.AddDays(-30).ToUnixTimeMilliseconds();
        await cluster.Client.SetTimesAsync(dir + "/old", oldTime, oldTime, Dfs.Token);

        await HdfsAsync("touch", dir + "/new");
        await HdfsAsync("touch", dir + "/old");

        var created = await cluster.Client.GetFileStatusAsync(dir + "/new", Dfs.Token);
        Assert.False(created.IsDirectory);
        Assert.Equal(0, created.Length);
        Assert.Empty(await Dfs.ReadAllAsync(cluster.Client, dir + "/new"));
        var touched = await cluster.Client.GetFileStatusAsync(dir + "/old", Dfs.Token);
        Assert.True(touched.ModificationTime > DateTimeOffset.UtcNow.AddMinutes(-5), $"touch left the mtime at {touched.ModificationTime}");
        Assert.Equal(100, touched.Length);
        Assert.Equal($"stat {dir}/missing: file does not exist", await HdfsFailsAsync("touch", "-c", dir + "/missing"));
    }

    [Fact]
    public async Task Chmod_and_chown_change_what_the_library_sees_recursively_too()
    {
        HadoopCli.SkipUnlessInstalled();
        var dir = UniquePath("hadoop-chmod");
        await cluster.Client.MkdirsAsync(dir + "/sub", createParent: true, Dfs.Token);
        await Dfs.WriteAsync(cluster.Client, dir + "/sub/f", Random(10, seed: 4));

        await HdfsAsync("chmod", "600", dir + "/sub/f");
        Assert.Equal(Octal("600"), (await cluster.Client.GetFileStatusAsync(dir + "/sub/f", Dfs.Token)).Permission);
        Assert.Matches($@"^-rw------- +{SuperUser} ", await HdfsAsync("ls", "-l", dir + "/sub/f"));

        await HdfsAsync("chmod", "-R", "700", dir);
        Assert.Equal(Octal("700"), (await cluster.Client.GetFileStatusAsync(dir, Dfs.Token)).Permission);
        Assert.Equal(Octal("700"), (await cluster.Client.GetFileStatusAsync(dir + "/sub", Dfs.Token)).Permission);
        Assert.Equal(Octal("700"), (await cluster.Client.GetFileStatusAsync(dir + "/sub/f", Dfs.Token)).Permission);

        await HdfsAsync("chown", "bob:staff", dir + "/sub/f");
        var owned = await cluster.Client.GetFileStatusAsync(dir + "/sub/f", Dfs.Token);
        Assert.Equal(("bob", "staff"), (owned.Owner, owned.Group));
        await HdfsAsync("chown", "carol", dir + "/sub/f"); // the Go client sends groupname = username
        owned = await cluster.Client.GetFileStatusAsync(dir + "/sub/f", Dfs.Token);
        Assert.Equal(("carol", "carol"), (owned.Owner, owned.Group));
    }

    [Fact]
    public async Task Mv_renames_overwrites_unless_told_not_to_and_moves_into_a_directory()
    {
        HadoopCli.SkipUnlessInstalled();
        var dir = UniquePath("hadoop-mv");
        await cluster.Client.MkdirsAsync(dir + "/into", createParent: true, Dfs.Token);
        var first = Random(1000, seed: 1);
        var second = Random(2000, seed: 2);
        await Dfs.WriteAsync(cluster.Client, dir + "/x1", first);
        await Dfs.WriteAsync(cluster.Client, dir + "/x2", second);

        Assert.Equal($"rename {dir}/x2: file already exists", await HdfsFailsAsync("mv", "-n", dir + "/x1", dir + "/x2"));
        Assert.Equal(second, await Dfs.ReadAllAsync(cluster.Client, dir + "/x2"));

        await HdfsAsync("mv", dir + "/x1", dir + "/x2");
        Assert.Null(await cluster.Client.TryGetFileStatusAsync(dir + "/x1", Dfs.Token));
        Assert.Equal(first, await Dfs.ReadAllAsync(cluster.Client, dir + "/x2"));

        await HdfsAsync("mv", dir + "/x2", dir + "/into");
        Assert.Equal(first, await Dfs.ReadAllAsync(cluster.Client, dir + "/into/x2"));
        Assert.Equal(["into"], await Dfs.ListNamesAsync(cluster.Client, dir));
    }

    [Fact]
    public async Task Rm_removes_files_and_trees_and_says_what_it_refused()
    {
        HadoopCli.SkipUnlessInstalled();
        var dir = UniquePath("hadoop-rm");
        await cluster.Client.MkdirsAsync(dir + "/tree/deep", createParent: true, Dfs.Token);
        await Dfs.WriteAsync(cluster.Client, dir + "/tree/deep/f", Random(10, seed: 6));
        await Dfs.WriteAsync(cluster.Client, dir + "/file", Random(10, seed: 7));

        await HdfsAsync("rm", dir + "/file");
        Assert.Null(await cluster.Client.TryGetFileStatusAsync(dir + "/file", Dfs.Token));
        Assert.Equal($"remove {dir}/tree: file is a directory", await HdfsFailsAsync("rm", dir + "/tree"));
        Assert.NotNull(await cluster.Client.TryGetFileStatusAsync(dir + "/tree/deep/f", Dfs.Token));
        await HdfsAsync("rm", "-r", dir + "/tree");
        Assert.Null(await cluster.Client.TryGetFileStatusAsync(dir + "/tree", Dfs.Token));
        await HdfsAsync("rm", "-f", dir + "/never-was");
        Assert.Contains("file does not exist", await HdfsFailsAsync("rm", dir + "/never-was"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Du_reports_lengths_per_child_and_in_total()
    {
        HadoopCli.SkipUnlessInstalled();
        var dir = UniquePath("hadoop-du");
        await cluster.Client.MkdirsAsync(dir + "/sub", createParent: true, Dfs.Token);
        await Dfs.WriteAsync(cluster.Client, dir + "/a", Random(3000, seed: 8));
        await Dfs.WriteAsync(cluster.Client, dir + "/sub/b", Random(5000, seed: 9));

        Assert.Equal([["8000", dir]], Columns(await HdfsAsync("du", "-s", dir)));
        var lines = Columns(await HdfsAsync("du", dir));
        Assert.Equal(["8000", dir], lines[^1]);
        Assert.Contains(lines, l => l.SequenceEqual(["3000", dir + "/a"]));
        Assert.Contains(lines, l => l.SequenceEqual(["5000", dir + "/sub"]));
    }

    [Fact]
    public async Task A_user_without_permission_is_told_permission_denied()
    {
        HadoopCli.SkipUnlessInstalled();
        var dir = UniquePath("hadoop-private");
        await cluster.Client.MkdirsAsync(dir + "/inside", createParent: true, Dfs.Token);
        await cluster.Client.SetPermissionAsync(dir, Octal("700"), Dfs.Token);

        var (exit, _, stderr) = await HadoopCli.RunAsync(Address, "mallory", "ls", dir);
        Assert.Equal(1, exit);
        Assert.Contains("permission denied", stderr, StringComparison.Ordinal);
        (exit, _, stderr) = await HadoopCli.RunAsync(Address, "mallory", "rm", "-r", dir + "/inside");
        Assert.Equal(1, exit);
        Assert.Contains("permission denied", stderr, StringComparison.Ordinal);
        Assert.NotNull(await cluster.Client.TryGetFileStatusAsync(dir + "/inside", Dfs.Token));
    }
}
