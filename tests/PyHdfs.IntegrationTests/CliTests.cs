using PyHdfs.AppHost;
using System.Net;
using System.Net.Sockets;
using PyHdfs.Client;
using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests;

/// <summary>The real pyhdfs executable against a real cluster: output, exit codes, and one-line errors.</summary>
[Collection(StandardCluster.Name)]
public sealed class CliTests(PyHdfsCluster cluster)
{
    private DfsClient Client => cluster.Client;

    private static void AssertOk(CliResult result) => Assert.True(result.ExitCode == 0, result.ToString());

    /// <summary>A user-facing failure: non-zero exit, exactly one line on stderr, no stack trace.</summary>
    private static string AssertOneLineError(CliResult result, int? exitCode = null)
    {
        Assert.True(result.ExitCode != 0, $"expected a failure: {result}");
        if (exitCode is not null)
        {
            Assert.True(result.ExitCode == exitCode, $"expected exit code {exitCode}: {result}");
        }
        var line = Assert.Single(result.StderrLines);
        Assert.StartsWith("pyhdfs", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Stderr, StringComparison.Ordinal);
        return line;
    }

    private string WriteLocal(string name, byte[] data)
    {
        var path = cluster.LocalPath(name);
        File.WriteAllBytes(path, data);
        return path;
    }

    [Fact]
    public async Task Put_then_get_cat_and_get_to_stdout_return_the_same_bytes()
    {
        var data = Random(2 * MiB + 333, seed: 21);
        var local = WriteLocal("put-get.bin", data);
        var remote = UniquePath("cli") + "/file.bin";
        await Client.MkdirsAsync(remote[..remote.LastIndexOf('/')], createParent: true, Dfs.Token);

        AssertOk(await cluster.RunCliAsync("put", local, remote));
        Assert.Equal(data.Length, (await Client.GetFileStatusAsync(remote, Dfs.Token)).Length);

        var copy = cluster.LocalPath("put-get.copy");
        AssertOk(await cluster.RunCliAsync("get", remote, copy));
        Dfs.AssertSameBytes(data, File.ReadAllBytes(copy), "get to a file");

        var cat = await cluster.RunCliAsync("cat", remote);
        AssertOk(cat);
        Dfs.AssertSameBytes(data, cat.Stdout, "cat");

        var toStdout = await cluster.RunCliAsync("get", remote, "-");
        AssertOk(toStdout);
        Dfs.AssertSameBytes(data, toStdout.Stdout, "get to stdout");
    }

    [Fact]
    public async Task Put_from_stdin_stores_what_was_piped()
    {
        var data = Random(MiB + 17, seed: 22);
        var remote = UniquePath("stdin");

        AssertOk(await cluster.RunCliAsync(data, "put", "-", remote));

        Dfs.AssertSameBytes(data, await Dfs.ReadAllAsync(Client, remote), "put -");
    }

    [Fact]
    public async Task Put_into_an_existing_directory_keeps_the_local_name()
    {
        var directory = UniquePath("into");
        AssertOk(await cluster.RunCliAsync("mkdir", "-p", directory));
        var local = WriteLocal("named.txt", "hello\n"u8.ToArray());

        AssertOk(await cluster.RunCliAsync("put", local, directory));

        Assert.Equal(6, (await Client.GetFileStatusAsync(directory + "/named.txt", Dfs.Token)).Length);
    }

    [Fact]
    public async Task Mkdir_p_ls_R_stat_du_mv_and_rm_r_work_on_a_tree()
    {
        var root = UniquePath("tree");
        AssertOk(await cluster.RunCliAsync("mkdir", "-p", root + "/a/b/c"));
        Assert.True((await Client.GetFileStatusAsync(root + "/a/b/c", Dfs.Token)).IsDirectory);
        AssertOk(await cluster.RunCliAsync("hello world\n"u8.ToArray(), "put", "-", root + "/a/b/hello.txt"));

        var ls = await cluster.RunCliAsync("ls", "-R", root);
        AssertOk(ls);
        Assert.Contains(root + "/a/b/c", ls.StdoutText, StringComparison.Ordinal);
        Assert.Contains(root + "/a/b/hello.txt", ls.StdoutText, StringComparison.Ordinal);

        var stat = await cluster.RunCliAsync("stat", root + "/a/b/hello.txt");
        AssertOk(stat);
        Assert.Contains("file", stat.StdoutText, StringComparison.Ordinal);
        Assert.Contains("12 bytes", stat.StdoutText, StringComparison.Ordinal);

        var du = await cluster.RunCliAsync("du", "-s", root);
        AssertOk(du);
        Assert.Matches(@"^\s*12\s+24\s+" + System.Text.RegularExpressions.Regex.Escape(root) + @"\s*$", du.StdoutText.Trim());

        AssertOk(await cluster.RunCliAsync("mv", root + "/a/b/hello.txt", root + "/moved.txt"));
        Assert.Null(await Client.TryGetFileStatusAsync(root + "/a/b/hello.txt", Dfs.Token));
        Assert.Equal("hello world\n"u8.ToArray(), await Dfs.ReadAllAsync(Client, root + "/moved.txt"));

        var rm = await cluster.RunCliAsync("rm", "-r", root);
        AssertOk(rm);
        Assert.Null(await Client.TryGetFileStatusAsync(root, Dfs.Token));
    }

    [Fact]
    public async Task Df_reports_the_live_datanodes()
    {
        var df = await cluster.RunCliAsync("df", "-h");
        AssertOk(df);
        Assert.Contains($"{cluster.Options.DataNodes} live", df.StdoutText, StringComparison.Ordinal);
        Assert.Contains("Size", df.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_onto_an_existing_file_without_f_fails_and_keeps_the_original()
    {
        var remote = UniquePath("noforce");
        var original = Random(1000, 23);
        AssertOk(await cluster.RunCliAsync(original, "put", "-", remote));

        var line = AssertOneLineError(await cluster.RunCliAsync(Random(10, 24), "put", "-", remote), exitCode: 1);
        Assert.Contains(remote, line, StringComparison.Ordinal);
        Assert.Contains("-f", line, StringComparison.Ordinal);
        Dfs.AssertSameBytes(original, await Dfs.ReadAllAsync(Client, remote), remote);

        var replacement = Random(10, 25);
        AssertOk(await cluster.RunCliAsync(replacement, "put", "-f", "-", remote));
        Dfs.AssertSameBytes(replacement, await Dfs.ReadAllAsync(Client, remote), remote);
    }

    [Theory]
    [InlineData("get")]
    [InlineData("cat")]
    [InlineData("rm")]
    [InlineData("stat")]
    [InlineData("ls")]
    public async Task A_missing_path_is_one_line_naming_it(string command)
    {
        var remote = UniquePath("nothing");
        var args = command == "get" ? new[] { command, remote, cluster.LocalPath("never-written") } : [command, remote];

        var line = AssertOneLineError(await cluster.RunCliAsync(args), exitCode: 1);

        Assert.Contains(remote, line, StringComparison.Ordinal);
        Assert.False(File.Exists(cluster.LocalPath("never-written")));
    }

    [Fact]
    public async Task Mkdir_under_a_file_fails()
    {
        var file = UniquePath("plain");
        AssertOk(await cluster.RunCliAsync("x"u8.ToArray(), "put", "-", file));

        AssertOneLineError(await cluster.RunCliAsync("mkdir", "-p", file + "/sub"));

        Assert.False((await Client.GetFileStatusAsync(file, Dfs.Token)).IsDirectory);
    }

    [Fact]
    public async Task Rm_of_a_non_empty_directory_without_r_deletes_nothing()
    {
        var directory = UniquePath("keep");
        AssertOk(await cluster.RunCliAsync("data"u8.ToArray(), "put", "-", directory + "/file"));

        var line = AssertOneLineError(await cluster.RunCliAsync("rm", directory), exitCode: 1);

        Assert.Contains(directory, line, StringComparison.Ordinal);
        Assert.Contains("not empty", line, StringComparison.Ordinal);
        Assert.Equal(4, (await Client.GetFileStatusAsync(directory + "/file", Dfs.Token)).Length);
    }

    [Fact]
    public async Task Mv_onto_an_existing_file_and_into_its_own_subtree_fail()
    {
        var a = UniquePath("mva");
        var b = UniquePath("mvb");
        AssertOk(await cluster.RunCliAsync("aa"u8.ToArray(), "put", "-", a));
        AssertOk(await cluster.RunCliAsync("bbb"u8.ToArray(), "put", "-", b));
        var directory = UniquePath("mvdir");
        AssertOk(await cluster.RunCliAsync("mkdir", "-p", directory + "/child"));

        AssertOneLineError(await cluster.RunCliAsync("mv", a, b), exitCode: 1);
        AssertOneLineError(await cluster.RunCliAsync("mv", directory, directory + "/child/inside"));

        Assert.Equal(2, (await Client.GetFileStatusAsync(a, Dfs.Token)).Length);
        Assert.Equal(3, (await Client.GetFileStatusAsync(b, Dfs.Token)).Length);
        Assert.True((await Client.GetFileStatusAsync(directory + "/child", Dfs.Token)).IsDirectory);
    }

    [Theory]
    [InlineData("/a/../../escape")]
    [InlineData("/bad:name")]
    public async Task An_invalid_path_is_a_usage_error(string path)
    {
        AssertOneLineError(await cluster.RunCliAsync("mkdir", "-p", path), exitCode: 2);
    }

    [Fact]
    public async Task An_over_long_path_is_a_usage_error()
    {
        var path = string.Concat(Enumerable.Repeat("/abcdefghij", 420));
        AssertOneLineError(await cluster.RunCliAsync("mkdir", "-p", path), exitCode: 2);
    }

    [Fact]
    public async Task A_relative_remote_path_is_a_usage_error_and_stores_nothing()
    {
        var name = UniquePath("relative")[1..];
        var line = AssertOneLineError(await cluster.RunCliAsync("rel"u8.ToArray(), "put", "-", name), exitCode: 2);
        Assert.Contains("not absolute", line, StringComparison.Ordinal);
        Assert.Null(await Client.TryGetFileStatusAsync("/" + name, Dfs.Token));
    }

    [Fact]
    public async Task A_missing_local_file_is_one_line()
    {
        var remote = UniquePath("never");
        var line = AssertOneLineError(await cluster.RunCliAsync("put", cluster.LocalPath("does-not-exist.bin"), remote), exitCode: 1);
        Assert.Contains("does-not-exist.bin", line, StringComparison.Ordinal);
        Assert.Null(await Client.TryGetFileStatusAsync(remote, Dfs.Token));
    }

    [Fact]
    public async Task A_namenode_that_is_not_running_is_one_clear_line()
    {
        // A port that was free a moment ago: nothing listens there.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var result = await CliRunner.RunAsync($"127.0.0.1:{port}", null, ["ls", "/"], cluster.LocalDirectory, TimeSpan.FromSeconds(90));

        var line = AssertOneLineError(result, exitCode: 1);
        Assert.Contains($"127.0.0.1:{port}", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_any_namenode_configured_the_cli_says_how_to_find_one()
    {
        var result = await CliRunner.RunAsync(null, null, ["ls", "/"], cluster.LocalDirectory, TimeSpan.FromSeconds(60));
        var line = AssertOneLineError(result);
        Assert.Contains("--namenode", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_finds_the_namenode_through_the_cluster_file_or_the_environment()
    {
        var remote = UniquePath("discovered");
        AssertOk(await cluster.RunCliAsync("mkdir", "-p", remote));
        var clusterFile = cluster.LocalPath("cluster.json");
        new ClusterFile([cluster.NameNodeAddress], cluster.DataDirectory, Environment.ProcessId).Write(clusterFile);

        var viaFile = await CliRunner.RunAsync(null, null, ["ls", "/"], cluster.LocalDirectory,
            environment: new Dictionary<string, string> { ["PYHDFS_CLUSTER_FILE"] = clusterFile });
        var viaVariable = await CliRunner.RunAsync(null, null, ["ls", "/"], cluster.LocalDirectory,
            environment: new Dictionary<string, string> { ["PYHDFS_NAMENODE"] = cluster.NameNodeAddress });

        AssertOk(viaFile);
        AssertOk(viaVariable);
        Assert.Contains(remote, viaFile.StdoutText, StringComparison.Ordinal);
        Assert.Contains(remote, viaVariable.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_command_is_a_usage_error()
    {
        AssertOneLineError(await cluster.RunCliAsync("frobnicate"), exitCode: 2);
    }
}
