using System.Text.RegularExpressions;
using PyHdfs.AppHost.Telemetry;

namespace PyHdfs.IntegrationTests.Dashboard;

/// <summary>
/// A put and a get through the real CLI, exporting OTLP to the AppHost like every service: each is
/// one trace, asserted on the spans the AppHost's receiver got.
/// </summary>
public sealed partial class TraceShapeTests(PyHdfsCluster cluster) : IClassFixture<PyHdfsCluster>
{
    private const int FileBytes = (int)(2.5 * PyHdfsCluster.BlockSizeBytes); // three blocks

    [Fact]
    public async Task A_put_is_one_trace_from_the_client_through_the_namenode_and_metadata_to_every_datanode_of_each_pipeline()
    {
        var path = "/traces/put.bin";
        var traceId = await PutAsync(path);

        var trace = await ReceivedTrace.WaitForAsync(cluster.App, traceId, t =>
            t.Named("client", "write block").Count() == 3
            && t.Named("client", "write block").All(b => DataNodeWrites(t, b).Count() == PyHdfsCluster.Replication)
            && t.Named("metadata", "journal append").Count() >= 3
            && t.Spans.Any(s => s.Name == $"namenode Complete {path}"), "the spans of the put");

        var root = trace.Root;
        Assert.Equal(("client", $"put {path}"), (root.Service, root.Name));
        Assert.Equal(path, root.Attributes["pyhdfs.path"]);
        Assert.Equal(FileBytes.ToString(), root.Attributes["pyhdfs.bytes"]);
        Assert.All(trace.Spans, s => Assert.Equal(traceId, s.TraceId));

        // NameNode RPCs, named for a person, each under the client's root with the journal write under it.
        foreach (var rpc in new[] { "Create", "AddBlock", "Complete" })
        {
            var servers = trace.Spans.Where(s => s.Service == "namenode" && s.Name == $"namenode {rpc} {path}").ToList();
            Assert.NotEmpty(servers);
            Assert.All(servers, server =>
            {
                Assert.Equal("server", server.Kind);
                Assert.True(trace.IsUnder(server, root), $"namenode {rpc} is not under the put");
                Assert.Equal(path, server.Attributes["pyhdfs.path"]);
            });
            Assert.Contains(servers, server => trace.Descendants(server).Any(s => s.Service == "metadata" && s.Name == "journal append"));
        }

        // Complete belongs to the file, not to its last block.
        Assert.All(trace.Spans.Where(s => s.Name == $"namenode Complete {path}"), complete =>
            Assert.DoesNotContain(trace.Named("client", "write block"), block => trace.IsUnder(complete, block)));

        // One span per DataNode per block, under the client's block span, with what happened there.
        var blocks = trace.Named("client", "write block").ToList();
        Assert.Equal(3, blocks.Select(b => b.Attributes["pyhdfs.block_id"]).Distinct().Count());
        foreach (var block in blocks)
        {
            Assert.True(trace.IsUnder(block, root));
            var pipeline = block.Attributes["pyhdfs.datanodes"].Split(',');
            Assert.Equal(PyHdfsCluster.Replication, pipeline.Length);
            var writes = DataNodeWrites(trace, block).ToList();
            Assert.Equal(pipeline.Order(), writes.Select(w => w.Service).Order());
            Assert.All(writes, w =>
            {
                Assert.Equal(block.Attributes["pyhdfs.block_id"], w.Attributes["pyhdfs.block_id"]);
                Assert.Equal(w.Service, w.Attributes["pyhdfs.datanode"]);
                Assert.Equal(block.Attributes["pyhdfs.bytes"], w.Attributes["pyhdfs.bytes"]);
            });
        }
    }

    [Fact]
    public async Task A_get_is_one_trace_from_the_client_through_the_namenode_to_the_datanodes_read()
    {
        var path = "/traces/get.bin";
        await PutAsync(path);
        var traceId = await RunTracedAsync("get", "--trace", "-f", path, cluster.LocalPath("get-copy.bin"));

        var trace = await ReceivedTrace.WaitForAsync(cluster.App, traceId, t =>
            t.Named("client", "read block").Count() == 3
            && t.Named("client", "read block").All(b => t.Descendants(b).Any(s => s.Name.StartsWith("datanode read", StringComparison.Ordinal)))
            && t.Spans.Any(s => s.Name == $"namenode GetBlockLocations {path}"), "the spans of the get");

        var root = trace.Root;
        Assert.Equal(("client", $"get {path}"), (root.Service, root.Name));
        var locations = trace.Single("namenode", $"namenode GetBlockLocations {path}");
        Assert.True(trace.IsUnder(locations, root));
        foreach (var block in trace.Named("client", "read block"))
        {
            Assert.True(trace.IsUnder(block, root));
            var read = Assert.Single(trace.Descendants(block), s => s.Name.StartsWith("datanode read", StringComparison.Ordinal));
            Assert.Equal(block.Attributes["pyhdfs.datanodes"], read.Service);
            Assert.Equal(block.Attributes["pyhdfs.block_id"], read.Attributes["pyhdfs.block_id"]);
        }
        Assert.DoesNotContain(trace.Spans, s => s.Service == "metadata"); // a read journals nothing
    }

    [Fact]
    public async Task As_a_user_runs_it_put_trace_then_pyhdfs_trace_prints_the_span_tree_found_through_the_cluster_file()
    {
        // Nothing but the cluster file: the CLI finds the NameNode, the AppHost's receiver and its dashboard there.
        var user = new Dictionary<string, string> { ["PYHDFS_CLUSTER_FILE"] = Path.Combine(cluster.App.DataDirectory, "cluster.json") };
        var path = "/traces/cli.bin";
        var local = cluster.LocalPath("cli.bin");
        await File.WriteAllBytesAsync(local, TestData.Random(FileBytes, seed: 7), TestContext.Current.CancellationToken);
        var put = await CliRunner.RunAsync(null, null, ["put", "--trace", local, path], cluster.LocalDirectory, environment: user);
        Assert.True(put.ExitCode == 0, put.ToString());
        var traceId = TraceIdOf(put.Stderr);
        await ReceivedTrace.WaitForAsync(cluster.App, traceId, t => t.Spans.Any(s => s.ParentSpanId is null && s.Service == "client")
            && t.Spans.Any(s => s.Name == $"namenode Complete {path}")
            && t.Spans.Count(s => s.Name.StartsWith("datanode write", StringComparison.Ordinal)) == 3 * PyHdfsCluster.Replication, "the spans of the put");

        var tree = await CliRunner.RunAsync(null, null, ["trace", traceId], cluster.LocalDirectory, environment: user);

        Assert.True(tree.ExitCode == 0, tree.ToString());
        var lines = tree.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("client", lines[1], StringComparison.Ordinal); // the root, unindented, after the summary line
        Assert.Contains($"put {path}", lines[1], StringComparison.Ordinal);
        Assert.Matches(@" \d+\.\d ms ", lines[1]);
        Assert.Contains(lines, l => l.StartsWith("  namenode", StringComparison.Ordinal) && l.Contains($"namenode Create {path}", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.TrimStart().StartsWith("metadata", StringComparison.Ordinal) && l.Contains("journal append", StringComparison.Ordinal));
        Assert.Equal(3 * PyHdfsCluster.Replication, lines.Count(l => l.Contains("datanode write blk_", StringComparison.Ordinal)));
        Assert.DoesNotContain(lines, l => l.Contains(" POST ", StringComparison.Ordinal)); // transport spans hidden

        var unknown = await cluster.RunCliAsync("trace", "--apphost", cluster.App.Dashboard.Url, new string('0', 31) + "1");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("unknown to the AppHost", unknown.Stderr, StringComparison.Ordinal);

        var missing = cluster.LocalPath("no-such-cluster.json");
        var noAppHost = await CliRunner.RunAsync(null, null, ["trace", traceId], cluster.LocalDirectory,
            environment: new Dictionary<string, string> { ["PYHDFS_CLUSTER_FILE"] = missing });
        Assert.Equal(1, noAppHost.ExitCode);
        Assert.Contains("no AppHost", noAppHost.Stderr, StringComparison.Ordinal);
        Assert.Contains(missing, noAppHost.Stderr, StringComparison.Ordinal);
    }

    private static IEnumerable<SpanRecord> DataNodeWrites(ReceivedTrace trace, SpanRecord block) =>
        trace.Descendants(block).Where(s => s.Name == $"datanode write blk_{block.Attributes["pyhdfs.block_id"]}");

    private async Task<string> PutAsync(string path)
    {
        var local = cluster.LocalPath(Path.GetFileName(path));
        await File.WriteAllBytesAsync(local, TestData.Random(FileBytes, seed: path.Length), TestContext.Current.CancellationToken);
        return await RunTracedAsync("put", "--trace", local, path);
    }

    /// <summary>The CLI exporting its spans to the AppHost's receiver, as the AppHost's services do; returns the printed trace id.</summary>
    private async Task<string> RunTracedAsync(params string[] args)
    {
        var result = await CliRunner.RunAsync(cluster.NameNodeAddress, null, args, cluster.LocalDirectory,
            environment: new Dictionary<string, string>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = cluster.App.Dashboard.OtlpEndpoint,
                ["OTEL_SERVICE_NAME"] = "client",
            });
        Assert.True(result.ExitCode == 0, result.ToString());
        return TraceIdOf(result.Stderr);
    }

    private static string TraceIdOf(string stderr) =>
        TraceIdLine().Match(stderr) is { Success: true } match ? match.Groups[1].Value : throw new Xunit.Sdk.XunitException($"no trace id in: {stderr}");

    [GeneratedRegex("trace id: ([0-9a-f]{32})")]
    private static partial Regex TraceIdLine();
}
