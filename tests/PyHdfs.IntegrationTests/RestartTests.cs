using Grpc.Net.Client;
using PyHdfs.Client;
using PyHdfs.Protocol;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Testing;
using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests;

/// <summary>The namespace is durable: restarting (or crashing) the metadata service and the NameNode loses nothing.</summary>
public sealed class RestartTests(PyHdfsCluster cluster) : IClassFixture<PyHdfsCluster>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Namespace_and_contents_are_identical_after_restarting_metadata_and_namenode(bool crash)
    {
        var root = UniquePath(crash ? "crash" : "restart");
        var files = new Dictionary<string, byte[]>
        {
            [root + "/empty"] = [],
            [root + "/a/small.txt"] = "small\n"u8.ToArray(),
            [root + "/a/b/multi-block.bin"] = Random(2 * MiB + 99, seed: 41),
            [root + "/c/one-block.bin"] = Random(MiB, seed: 42),
        };
        await cluster.Client.MkdirsAsync(root + "/empty-dir", createParent: true, Dfs.Token);
        foreach (var (path, data) in files)
        {
            await Dfs.WriteAsync(cluster.Client, path, data);
        }
        await cluster.Client.RenameAsync(root + "/c/one-block.bin", root + "/c/renamed.bin", Dfs.Token);
        files[root + "/c/renamed.bin"] = files[root + "/c/one-block.bin"];
        files.Remove(root + "/c/one-block.bin");
        var before = await SnapshotAsync(root);

        if (crash)
        {
            await cluster.KillAsync("namenode");
            await cluster.KillAsync("metadata");
        }
        else
        {
            await cluster.StopAsync("namenode");
            await cluster.StopAsync("metadata");
        }
        await cluster.StartAsync("metadata");
        await cluster.StartAsync("namenode");
        await cluster.WaitForLiveDataNodesAsync(cluster.Options.DataNodes);

        await using var client = cluster.CreateClient();
        Assert.Equal(before, await SnapshotAsync(root));
        foreach (var (path, data) in files)
        {
            // Block locations come back with the DataNodes' block reports.
            var read = await Eventually.WaitForAsync(async () => await Dfs.ReadAllAsync(client, path),
                TimeSpan.FromSeconds(60), $"{path} readable after the restart");
            Dfs.AssertSameBytes(data, read, path);
        }
        // And the restarted NameNode accepts new writes.
        await Dfs.WriteAsync(client, root + "/after", Random(1234, 43));
        Assert.Equal(1234, (await client.GetFileStatusAsync(root + "/after", Dfs.Token)).Length);
    }

    [Fact]
    public async Task Killing_the_NameNode_during_concurrent_mutations_keeps_exactly_the_acknowledged_ones()
    {
        var root = UniquePath("crash-stream");
        await cluster.Client.MkdirsAsync(root, createParent: true, Dfs.Token);
        var workers = Enumerable.Range(0, 4).Select(k => new MutationWorker($"{root}/w{k}", seed: 100 + k)).ToList();
        var clients = workers.Select(_ => OneNameNodeClient()).ToList();
        try
        {
            var running = workers.Select((w, k) => Task.Run(() => w.RunUntilFailureAsync(clients[k]), Dfs.Token)).ToList();
            await Eventually.WaitUntilAsync(() => workers.Sum(w => w.Acknowledged) >= 80 || running.Any(t => t.IsCompleted),
                TimeSpan.FromSeconds(60), "mutations acknowledged before the kill");
            Assert.DoesNotContain(running, t => t.IsCompleted);
            await cluster.KillAsync("namenode");
            await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(90), Dfs.Token);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
        await cluster.StartAsync("namenode");

        // Exactly the acknowledged mutations; the one in flight at the kill is either wholly there or not at all.
        await using var reader = cluster.CreateClient();
        foreach (var worker in workers)
        {
            var actual = (await Eventually.WaitForAsync(async () => await Dfs.ListNamesAsync(reader, worker.Directory),
                TimeSpan.FromSeconds(60), $"{worker.Directory} listable after the restart")).ToHashSet(StringComparer.Ordinal);
            var (acknowledged, withInFlight) = worker.ExpectedStates();
            Assert.True(actual.SetEquals(acknowledged) || actual.SetEquals(withInFlight),
                $"{worker.Directory}: after the restart [{string.Join(' ', actual.Order(StringComparer.Ordinal))}], " +
                $"acknowledged [{string.Join(' ', acknowledged.Order(StringComparer.Ordinal))}], in flight: {worker.InFlight}");
        }
        Assert.True(workers.Sum(w => w.Acknowledged) >= 80);
    }

    [Fact]
    public async Task Killing_the_metadata_service_holds_mutations_until_it_is_back_and_loses_none()
    {
        var root = UniquePath("metadata-crash");
        await cluster.Client.MkdirsAsync(root, createParent: true, Dfs.Token);
        var before = Enumerable.Range(0, 20).Select(i => $"{root}/before-{i}").ToList();
        foreach (var path in before)
        {
            await cluster.Client.MkdirsAsync(path, createParent: false, Dfs.Token);
        }

        var retriesBefore = JournalRetryLogLines();
        await cluster.KillAsync("metadata");
        // The NameNode cannot journal now, so it must not answer: the call waits while the NameNode retries.
        var held = Task.Run(() => cluster.Client.MkdirsAsync(root + "/while-down", createParent: false, Dfs.Token), Dfs.Token);
        await Eventually.WaitUntilAsync(() => JournalRetryLogLines() > retriesBefore || held.IsCompleted, TimeSpan.FromSeconds(30),
            "the NameNode retrying its journal write");
        Assert.False(held.IsCompleted, $"a mutation was answered while the metadata service was down: {held.Exception?.InnerException?.Message ?? "acknowledged"}");
        await cluster.StartAsync("metadata");
        await held.WaitAsync(TimeSpan.FromSeconds(60), Dfs.Token);
        await cluster.Client.MkdirsAsync(root + "/after", createParent: false, Dfs.Token);

        // Everything acknowledged is durable: a NameNode killed now reloads all of it from the metadata service.
        await cluster.KillAsync("namenode");
        await cluster.StartAsync("namenode");
        await using var reader = cluster.CreateClient();
        var names = await Eventually.WaitForAsync(async () => await Dfs.ListNamesAsync(reader, root),
            TimeSpan.FromSeconds(60), $"{root} listable after the NameNode restart");
        var expected = before.Select(p => p[(root.Length + 1)..]).Append("while-down").Append("after");
        Assert.Equal(expected.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
    }

    private int JournalRetryLogLines() =>
        cluster.Logs.Of("namenode").Count(l => l.Contains("the metadata service is unreachable", StringComparison.Ordinal));

    [Fact]
    public async Task After_a_restart_writes_are_refused_in_safe_mode_until_enough_blocks_are_reported()
    {
        var root = UniquePath("safemode");
        var data = Random(2 * MiB + 17, seed: 77);
        await Dfs.WriteAsync(cluster.Client, root + "/three-blocks.bin", data);
        foreach (var datanode in cluster.DataNodeNames)
        {
            await cluster.StopAsync(datanode);
        }
        await cluster.KillAsync("namenode");
        await cluster.StartAsync("namenode");
        try
        {
            using var channel = GrpcChannel.ForAddress(cluster.NameNodeAddress);
            var raw = new ClientProtocol.ClientProtocolClient(channel);
            var status = await Eventually.WaitForAsync(async () =>
            {
                var s = await raw.GetHaStatusAsync(new GetHaStatusRequest(), cancellationToken: Dfs.Token);
                return s.State == "active" ? s : null;
            }, TimeSpan.FromSeconds(60), "the restarted NameNode active", TimeSpan.FromMilliseconds(100));
            Assert.True(status.SafeMode, "no DataNode reported: the NameNode must be in safe mode");
            Assert.Matches(@"^0 of \d+ blocks reported \(threshold 99\.9%\)$", status.SafeModeReason);

            await using var client = OneNameNodeClient();
            var refused = await Dfs.AssertFailsAsync(() => client.MkdirsAsync(root + "/during", createParent: true, Dfs.Token), ErrorKind.SafeMode);
            Assert.Contains("NameNode is in safe mode: 0 of", refused.Message, StringComparison.Ordinal);
            Assert.Contains(root + "/during", refused.Message, StringComparison.Ordinal);
            // Reads are allowed meanwhile.
            Assert.Equal(data.Length, (await client.GetFileStatusAsync(root + "/three-blocks.bin", Dfs.Token)).Length);
        }
        finally
        {
            foreach (var datanode in cluster.DataNodeNames)
            {
                await cluster.StartAsync(datanode);
            }
        }

        // Block reports arrive and the NameNode leaves safe mode by itself.
        await Eventually.WaitUntilAsync(async () => !(await cluster.Client.GetFsStatsAsync(Dfs.Token)).SafeMode,
            TimeSpan.FromSeconds(60), "the NameNode to leave safe mode", TimeSpan.FromMilliseconds(100));
        await cluster.Client.MkdirsAsync(root + "/after", createParent: true, Dfs.Token);
        await cluster.WaitForLiveDataNodesAsync(cluster.Options.DataNodes);
        Dfs.AssertSameBytes(data, await Dfs.ReadAllAsync(cluster.Client, root + "/three-blocks.bin"), root + "/three-blocks.bin");
    }

    [Fact]
    public async Task Safe_mode_can_be_entered_and_left_by_hand_with_the_cli()
    {
        var root = UniquePath("manual-safemode");
        var entered = await cluster.RunCliAsync("admin", "safemode", "enter");
        try
        {
            Assert.True(entered.ExitCode == 0, entered.ToString());
            Assert.StartsWith("Safe mode is ON: entered by an administrator", entered.StdoutText, StringComparison.Ordinal);
            await using var client = OneNameNodeClient();
            await Dfs.AssertFailsAsync(() => client.MkdirsAsync(root, createParent: true, Dfs.Token), ErrorKind.SafeMode);
            // The CLI (default client settings) reports it at once instead of waiting out its failover window.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var mkdir = await cluster.RunCliAsync("mkdir", "-p", root);
            Assert.True(mkdir.ExitCode == 1, mkdir.ToString());
            Assert.Contains("safe mode", mkdir.Stderr, StringComparison.Ordinal);
            Assert.True(clock.Elapsed < new DfsClientOptions { NameNodes = [] }.FailoverTimeout / 2, $"the CLI waited {clock.Elapsed} for manual safe mode");
            var get = await cluster.RunCliAsync("admin", "safemode", "get");
            Assert.StartsWith("Safe mode is ON", get.StdoutText, StringComparison.Ordinal);
        }
        finally
        {
            var left = await cluster.RunCliAsync("admin", "safemode", "leave");
            Assert.Equal("Safe mode is OFF", left.StdoutText.Trim());
        }
        await cluster.Client.MkdirsAsync(root, createParent: true, Dfs.Token);
    }

    /// <summary>A client of the one NameNode that fails at once instead of waiting for it (to see each answer).</summary>
    private DfsClient OneNameNodeClient() =>
        new(new DfsClientOptions { NameNodes = [new Uri(cluster.NameNodeAddress)], FailoverTimeout = TimeSpan.Zero });

    /// <summary>Every entry under root with its type, length and replication, in a stable order.</summary>
    private async Task<List<string>> SnapshotAsync(string root)
    {
        var lines = new List<string>();
        async Task Walk(string path)
        {
            await foreach (var entry in cluster.Client.ListAsync(path, Dfs.Token))
            {
                lines.Add($"{entry.Path} {(entry.IsDirectory ? "dir" : "file")} {entry.Length} {entry.Replication} {entry.BlockCount}");
                if (entry.IsDirectory)
                {
                    await Walk(entry.Path);
                }
            }
        }
        await Walk(root);
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }
}

/// <summary>
/// One client's stream of mkdir / create (empty file) / rename / delete in its own directory, with
/// the model of what the NameNode acknowledged; it stops at the first failure, which is the
/// mutation in flight (its effect may or may not have been journaled).
/// </summary>
internal sealed class MutationWorker(string directory, int seed)
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Random _random = new(seed);
    private Action<HashSet<string>>? _inFlight;
    private int _acknowledged;

    public string Directory { get; } = directory;

    public int Acknowledged => Volatile.Read(ref _acknowledged);

    public string InFlight { get; private set; } = "nothing";

    public async Task RunUntilFailureAsync(DfsClient client)
    {
        await client.MkdirsAsync(Directory, createParent: true, Dfs.Token);
        for (var i = 0; ; i++)
        {
            var existing = _names.Order(StringComparer.Ordinal).ToList();
            var choice = existing.Count < 3 ? _random.Next(2) : _random.Next(4);
            var (what, apply, call) = choice switch
            {
                0 => ($"mkdir d{i}", (Action<HashSet<string>>)(n => n.Add($"d{i}")), (Func<Task>)(() => client.MkdirsAsync($"{Directory}/d{i}", false, Dfs.Token))),
                1 => ($"create f{i}", n => n.Add($"f{i}"), () => Dfs.WriteAsync(client, $"{Directory}/f{i}", [])),
                2 => Rename(existing[_random.Next(existing.Count)], $"r{i}"),
                _ => Delete(existing[_random.Next(existing.Count)]),
            };
            InFlight = what;
            _inFlight = apply;
            try
            {
                await call();
            }
            catch (IOException)
            {
                // DfsIOException from the NameNode, or a write pipeline cut short: this is the mutation in flight.
                return;
            }
            apply(_names);
            _inFlight = null;
            InFlight = "nothing";
            Interlocked.Increment(ref _acknowledged);
        }

        (string, Action<HashSet<string>>, Func<Task>) Rename(string from, string to) =>
            ($"rename {from} -> {to}", n => { n.Remove(from); n.Add(to); }, () => client.RenameAsync($"{Directory}/{from}", $"{Directory}/{to}", Dfs.Token));

        (string, Action<HashSet<string>>, Func<Task>) Delete(string name) =>
            ($"delete {name}", n => n.Remove(name), () => client.DeleteAsync($"{Directory}/{name}", recursive: true, Dfs.Token));
    }

    /// <summary>The acknowledged names, and the same with the mutation in flight applied.</summary>
    public (HashSet<string> Acknowledged, HashSet<string> WithInFlight) ExpectedStates()
    {
        var with = new HashSet<string>(_names, StringComparer.Ordinal);
        _inFlight?.Invoke(with);
        return (new HashSet<string>(_names, StringComparer.Ordinal), with);
    }
}
