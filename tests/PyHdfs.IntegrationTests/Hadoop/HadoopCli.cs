using System.Diagnostics;

namespace PyHdfs.IntegrationTests.Hadoop;

/// <summary>One run of Debian's Go `hdfs` client (package hdfs-cli) against a cluster's Hadoop RPC endpoint.</summary>
public static class HadoopCli
{
    public const string Program = "/usr/bin/hdfs";

    /// <summary>Skips the calling test on a machine without Debian's hdfs-cli.</summary>
    public static void SkipUnlessInstalled() =>
        Assert.SkipUnless(File.Exists(Program), $"{Program} is missing: apt-get install -y hdfs-cli (scripts/test.sh does)");

    /// <summary>HOST:PORT of the NameNode's <c>hdfs</c> endpoint, as HADOOP_NAMENODE wants it.</summary>
    public static string Address(PyHdfsCluster cluster, string nameNode = "namenode")
    {
        var endpoint = cluster.Endpoint(nameNode, "hdfs");
        return $"{endpoint.Host}:{endpoint.Port}";
    }

    /// <summary>Runs <c>hdfs ARGS</c> as <paramref name="user"/> to its end (killed after a minute).</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string nameNodes, string user, params string[] args) =>
        RunWithInputAsync(nameNodes, user, null, args);

    /// <summary>As <see cref="RunAsync"/>, with <paramref name="input"/> (when given) written to its standard input and then closed.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunWithInputAsync(string nameNodes, string user, byte[]? input, params string[] args)
    {
        var info = new ProcessStartInfo(Program)
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null,
        };
        args.ToList().ForEach(info.ArgumentList.Add);
        info.Environment["HADOOP_NAMENODE"] = nameNodes;
        info.Environment["HADOOP_USER_NAME"] = user;
        info.Environment.Remove("HADOOP_CONF_DIR");
        using var process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException($"{Program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(Dfs.Token);
        var stderr = process.StandardError.ReadToEndAsync(Dfs.Token);
        if (input is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(input, Dfs.Token);
            process.StandardInput.Close();
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Dfs.Token);
        deadline.CancelAfter(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"hdfs {string.Join(' ', args)} ran longer than a minute: {await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
