using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests.Hadoop;

/// <summary>Debian's Go `hdfs` client, unmodified, against the NameNode's Hadoop RPC endpoint: the read-only metadata commands.</summary>
[Collection(StandardCluster.Name)]
public sealed class HadoopCliMetadataTests(PyHdfsCluster cluster)
{
    private static readonly string SuperUser = Environment.UserName;

    [Fact]
    public async Task Ls_lists_what_the_client_library_created_with_modes_and_owners()
    {
        HadoopCli.SkipUnlessInstalled();
        var dir = UniquePath("hadoop-ls");
        await cluster.Client.MkdirsAsync(dir + "/sub", createParent: true, Dfs.Token);
        await Dfs.WriteAsync(cluster.Client, dir + "/f.bin", Random(3 * KiB, seed: 5));
        var address = HadoopCli.Address(cluster);

        var (exit, stdout, stderr) = await HadoopCli.RunAsync(address, SuperUser, "ls", dir);
        Assert.True(exit == 0, $"hdfs ls {dir} exited {exit}: {stderr}");
        Assert.Equal(["f.bin", "sub"], stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        (exit, stdout, stderr) = await HadoopCli.RunAsync(address, SuperUser, "ls", "-l", dir);
        Assert.True(exit == 0, $"hdfs ls -l {dir} exited {exit}: {stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches($@"^-rw-r--r-- +{SuperUser} +\S+ +3072 .* f\.bin$", lines[0]);
        Assert.Matches($@"^drwxr-xr-x +{SuperUser} +\S+ +0 .* sub$", lines[1]);

        (exit, _, stderr) = await HadoopCli.RunAsync(address, SuperUser, "ls", dir + "/nope");
        Assert.Equal(1, exit);
        Assert.Contains($"stat {dir}/nope: file does not exist", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Df_reports_the_capacity_of_the_live_datanodes()
    {
        HadoopCli.SkipUnlessInstalled();
        var address = HadoopCli.Address(cluster);
        var (exit, stdout, stderr) = await HadoopCli.RunAsync(address, SuperUser, "df");
        Assert.True(exit == 0, $"hdfs df exited {exit}: {stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 2 && System.Text.RegularExpressions.Regex.IsMatch(lines[0].Trim(), @"^Filesystem\s+Size\s+Used\s+Available\s+Use%"), $"hdfs df printed:\n{stdout}");
        var columns = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(address, columns[0]);
        var report = await cluster.Client.GetDataNodeReportAsync(Dfs.Token);
        Assert.Equal(report.Sum(n => n.CapacityBytes), long.Parse(columns[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
