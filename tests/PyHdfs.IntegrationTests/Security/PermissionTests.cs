using PyHdfs.Testing;
using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests.Security;

/// <summary>The standard cluster with groups mapped on the NameNode: alice is in "team", bob in "guests" only.</summary>
public sealed class PermissionCluster : PyHdfsCluster
{
    protected override void Configure(ClusterOptions options)
    {
        options.ServiceSettings["NameNode__UserGroups__alice"] = "team,dev";
        options.ServiceSettings["NameNode__UserGroups__bob"] = "guests";
    }
}

/// <summary>
/// Users and permissions end to end: the real pyhdfs CLI run as different users (PYHDFS_USER)
/// against a real cluster. The test process's own user runs the NameNode, so it is the superuser.
/// </summary>
public sealed class PermissionTests(PermissionCluster cluster) : IClassFixture<PermissionCluster>
{
    private const string Alice = "alice";
    private const string Bob = "bob";

    /// <summary>Runs pyhdfs as <paramref name="user"/> (null: the OS user, the superuser).</summary>
    private Task<CliResult> RunAsync(string? user, params string[] args) =>
        CliRunner.RunAsync(cluster.NameNodeAddress, null, args, cluster.LocalDirectory,
            environment: user is null ? null : new Dictionary<string, string> { ["PYHDFS_USER"] = user });

    private static void AssertOk(CliResult result) => Assert.True(result.ExitCode == 0, result.ToString());

    /// <summary>Refused: exit 1, one line naming the path, the user and "permission denied".</summary>
    private static string AssertDenied(CliResult result, string path, string user)
    {
        Assert.True(result.ExitCode == 1, $"expected a refusal: {result}");
        var line = Assert.Single(result.StderrLines);
        Assert.Contains("permission denied", line, StringComparison.Ordinal);
        Assert.Contains($"user={user}", line, StringComparison.Ordinal);
        Assert.Contains(path, line, StringComparison.Ordinal);
        return line;
    }

    private string WriteLocal(string name, byte[] data)
    {
        var path = cluster.LocalPath(name);
        File.WriteAllBytes(path, data);
        return path;
    }

    private async Task<string> SetUpTeamDirectoryAsync()
    {
        var team = UniquePath("team");
        AssertOk(await RunAsync(null, "mkdir", "-p", team));
        AssertOk(await RunAsync(null, "chown", $"{Alice}:team", team));
        AssertOk(await RunAsync(null, "chmod", "755", team));
        return team;
    }

    [Fact]
    public async Task Alice_works_in_her_directory_and_bob_is_refused_every_change_with_the_path_named()
    {
        var team = await SetUpTeamDirectoryAsync();
        var data = Random(300_000, seed: 77);
        var local = WriteLocal("alice.bin", data);

        // alice, the owner: put, cat, ls, mkdir, mv, rm.
        AssertOk(await RunAsync(Alice, "put", local, $"{team}/a.bin"));
        Dfs.AssertSameBytes(data, (await RunAsync(Alice, "cat", $"{team}/a.bin")).Stdout, "alice's cat");
        AssertOk(await RunAsync(Alice, "mkdir", $"{team}/sub"));
        AssertOk(await RunAsync(Alice, "mv", $"{team}/a.bin", $"{team}/sub/a.bin"));
        AssertOk(await RunAsync(Alice, "put", local, $"{team}/scratch.bin"));
        AssertOk(await RunAsync(Alice, "rm", $"{team}/scratch.bin"));
        var listing = await RunAsync(Alice, "ls", team);
        AssertOk(listing);
        Assert.Matches(@"drwxr-xr-x\s+-\s+alice\s+team\s.*/sub", listing.StdoutText);

        // bob ("other": r-x) may look, not change.
        AssertOk(await RunAsync(Bob, "ls", team));
        Dfs.AssertSameBytes(data, (await RunAsync(Bob, "cat", $"{team}/sub/a.bin")).Stdout, "bob's cat of a readable file");
        var line = AssertDenied(await RunAsync(Bob, "put", local, $"{team}/bob.bin"), $"{team}/bob.bin", Bob);
        Assert.Contains($"access=WRITE, inode=\"{team}\" (owner alice, group team, mode drwxr-xr-x)", line, StringComparison.Ordinal);
        AssertDenied(await RunAsync(Bob, "mkdir", $"{team}/bobdir"), $"{team}/bobdir", Bob);
        AssertDenied(await RunAsync(Bob, "mv", $"{team}/sub/a.bin", $"{team}/sub/stolen.bin"), $"{team}/sub/a.bin", Bob);
        AssertDenied(await RunAsync(Bob, "rm", $"{team}/sub/a.bin"), $"{team}/sub/a.bin", Bob);
        AssertDenied(await RunAsync(Bob, "rm", "-r", $"{team}/sub"), $"{team}/sub", Bob);
        AssertDenied(await RunAsync(Bob, "chmod", "777", $"{team}/sub"), $"{team}/sub", Bob);

        // alice closes sub/ to others: now bob may neither list it nor read below it.
        AssertOk(await RunAsync(Alice, "chmod", "750", $"{team}/sub"));
        line = AssertDenied(await RunAsync(Bob, "ls", $"{team}/sub"), $"{team}/sub", Bob);
        Assert.Contains("access=READ_EXECUTE", line, StringComparison.Ordinal);
        line = AssertDenied(await RunAsync(Bob, "cat", $"{team}/sub/a.bin"), $"{team}/sub/a.bin", Bob);
        Assert.Contains($"access=EXECUTE, inode=\"{team}/sub\"", line, StringComparison.Ordinal);

        // Nothing bob tried changed anything.
        var names = await Dfs.ListNamesAsync(cluster.Client, team);
        Assert.Equal(["sub"], names);
        Assert.Equal(["a.bin"], await Dfs.ListNamesAsync(cluster.Client, $"{team}/sub"));
        Dfs.AssertSameBytes(data, await Dfs.ReadAllAsync(cluster.Client, $"{team}/sub/a.bin"), "the file after bob's attempts");
    }

    [Fact]
    public async Task A_file_without_read_permission_cannot_be_read_by_others_and_the_superuser_reads_everything()
    {
        var team = await SetUpTeamDirectoryAsync();
        var data = Random(5000, seed: 78);
        AssertOk(await RunAsync(Alice, "put", WriteLocal("private.bin", data), $"{team}/private.bin"));
        AssertOk(await RunAsync(Alice, "chmod", "u=rw,go=", $"{team}/private.bin"));

        var line = AssertDenied(await RunAsync(Bob, "cat", $"{team}/private.bin"), $"{team}/private.bin", Bob);
        Assert.Contains("access=READ", line, StringComparison.Ordinal);
        Assert.Contains("mode -rw-------", line, StringComparison.Ordinal);
        Dfs.AssertSameBytes(data, (await RunAsync(null, "cat", $"{team}/private.bin")).Stdout, "the superuser's cat");
    }

    [Fact]
    public async Task Only_the_superuser_gives_files_away_or_sets_safe_mode_and_an_owner_chooses_only_among_its_groups()
    {
        var team = await SetUpTeamDirectoryAsync();
        AssertOk(await RunAsync(Alice, "mkdir", $"{team}/project"));

        var line = AssertDenied(await RunAsync(Alice, "chown", Bob, $"{team}/project"), $"{team}/project", Alice);
        Assert.Contains("only the superuser may", line, StringComparison.Ordinal);
        AssertOk(await RunAsync(Alice, "chgrp", "dev", $"{team}/project"));
        line = AssertDenied(await RunAsync(Alice, "chgrp", "guests", $"{team}/project"), $"{team}/project", Alice);
        Assert.Contains("does not belong to group guests", line, StringComparison.Ordinal);

        line = AssertDenied(await RunAsync(Bob, "admin", "safemode", "enter"), "/", Bob);
        Assert.Contains("only the superuser may enter safe mode", line, StringComparison.Ordinal);
        Assert.Contains("Safe mode is OFF", (await RunAsync(Bob, "admin", "safemode", "get")).StdoutText, StringComparison.Ordinal);

        AssertOk(await RunAsync(null, "chown", "-R", $"{Bob}:guests", $"{team}/project"));
        var status = await cluster.Client.GetFileStatusAsync($"{team}/project", Dfs.Token);
        Assert.Equal((Bob, "guests"), (status.Owner, status.Group));
    }

    [Fact]
    public async Task Modes_and_owners_survive_a_NameNode_restart()
    {
        var team = await SetUpTeamDirectoryAsync();
        AssertOk(await RunAsync(Alice, "mkdir", $"{team}/kept"));
        AssertOk(await RunAsync(Alice, "chmod", "1750", $"{team}/kept"));
        AssertOk(await RunAsync(Alice, "chgrp", "dev", $"{team}/kept"));

        await cluster.RestartAsync("namenode");
        await using var client = cluster.CreateClient();
        var status = await Eventually.WaitForAsync(async () => await client.GetFileStatusAsync($"{team}/kept", Dfs.Token),
            TimeSpan.FromSeconds(60), "the restarted NameNode to answer");
        Assert.Equal((Alice, "dev", 0x3E8u), (status.Owner, status.Group, status.Permission)); // 1750
        var top = await client.GetFileStatusAsync(team, Dfs.Token);
        Assert.Equal((Alice, "team", 0x1EDu), (top.Owner, top.Group, top.Permission)); // 755
        AssertDenied(await RunAsync(Bob, "ls", $"{team}/kept"), $"{team}/kept", Bob);
        await Eventually.WaitUntilAsync(async () => !(await client.GetFsStatsAsync(Dfs.Token)).SafeMode,
            TimeSpan.FromSeconds(60), "the restarted NameNode to leave safe mode", TimeSpan.FromMilliseconds(200));
    }
}
