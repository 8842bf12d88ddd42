using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using PyHdfs.Client;
using PyHdfs.DataNode.Storage;
using PyHdfs.Protocol.DataTransfer;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Testing;
using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests.Security;

/// <summary>
/// Thousands of random or mutated frames against live DataNodes and the NameNode: every connection ends
/// (dropped and logged, never hung), every gRPC call gets a deliberate status, both processes keep running
/// with bounded memory, no broken write becomes a counted replica, and a normal put/get still works.
/// The seed is printed; PYHDFS_FUZZ_SEED=N replays a run.
/// </summary>
public sealed class FuzzTests(FuzzCluster cluster) : IClassFixture<FuzzCluster>
{
    private const string SeedVariable = "PYHDFS_FUZZ_SEED";
    private const int DataNodeCases = 10_000;
    private const int RawNameNodeConnections = 400;
    private const int CallsPerMethod = 60;
    private const long MaxDataNodeRssBytes = 1L << 30;
    private static readonly TimeSpan ConnectionDeadline = TimeSpan.FromSeconds(20);
    // A request body that is not the method's protobuf message is refused before any service code runs
    // (MalformedRequestBinding), with this text, the method's name and the decoder's reason.
    private const string UndecodableRequest = "malformed request to /pyhdfs.namenode.ClientProtocol/";
    private static readonly StatusCode[] Unacceptable = [StatusCode.Unknown, StatusCode.Internal, StatusCode.DataLoss, StatusCode.DeadlineExceeded];

    [Fact]
    public async Task Random_and_mutated_frames_leave_the_DataNodes_and_the_NameNode_serving()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), CultureInfo.InvariantCulture, out var fixedSeed) ? fixedSeed : System.Random.Shared.Next();
        var replay = $"seed {seed} (replay with {SeedVariable}={seed})";
        TestContext.Current.TestOutputHelper?.WriteLine($"fuzz {replay}");
        Console.WriteLine($"FuzzTests: {replay}");

        var root = UniquePath("fuzz");
        var before = Random(MiB + 777, seed: 901);
        await Dfs.WriteAsync(cluster.Client, root + "/before.bin", before, new DfsCreateOptions { Replication = cluster.Options.DataNodes });
        var dataNodes = cluster.DataNodeNames;
        var pids = dataNodes.Append("namenode").ToDictionary(n => n, n => cluster.PidOf(n) ?? throw new InvalidOperationException($"{n} is not running"));
        var ports = dataNodes.Select(DataEndpoint).ToArray();

        using var channel = GrpcChannels.Create(new Uri(cluster.NameNodeAddress), membership: null);
        var namenode = new ClientProtocol.ClientProtocolClient(channel);
        var recordedRead = await RecordedReadAsync(namenode, root + "/before.bin");
        var firstFreshBlockId = (1L << 50) + ((long)(uint)seed << 13);
        var fuzzer = new DataNodeFrameFuzzer(seed, recordedRead, firstFreshBlockId);

        var clock = Stopwatch.StartNew();
        var stalled = await OpenStalledConnectionsAsync(ports, firstFreshBlockId + DataNodeCases);
        var hung = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, DataNodeCases), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Dfs.Token },
            async (index, _) =>
            {
                var fuzzCase = fuzzer.Build(index);
                if (!await SendAndDrainAsync(ports[index % ports.Length], fuzzCase.Bytes))
                {
                    hung.Add($"case {index} ({fuzzCase.Kind}, {fuzzCase.Bytes.Length} bytes) to {dataNodes[index % ports.Length]}");
                }
            });
        var dataNodeTime = clock.Elapsed;

        var nameNodeFuzzer = new NameNodeRpcFuzzer(seed, root + "/sandbox");
        var nameNodeEndpoint = EndpointOf(new Uri(cluster.NameNodeAddress));
        await Parallel.ForEachAsync(Enumerable.Range(0, RawNameNodeConnections), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Dfs.Token },
            async (index, _) =>
            {
                if (!await SendAndDrainAsync(nameNodeEndpoint, nameNodeFuzzer.RawConnection(index)))
                {
                    hung.Add($"raw NameNode connection {index}");
                }
            });
        var violations = new ConcurrentBag<string>();
        var undecodable = new ConcurrentBag<string>();
        var invoker = channel.CreateCallInvoker();
        var methods = NameNodeRpcFuzzer.ClientProtocolMethods;
        var calls = Enumerable.Range(0, methods.Count).SelectMany(m => Enumerable.Range(0, CallsPerMethod).Select(i => (Method: m, Index: i)));
        await Parallel.ForEachAsync(calls, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Dfs.Token },
            async (call, _) =>
            {
                var method = methods[call.Method];
                var payload = nameNodeFuzzer.Request(call.Method, call.Index);
                try
                {
                    await invoker.AsyncUnaryCall(method, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(15)), payload);
                }
                catch (RpcException e) when (!NameNodeRpcFuzzer.Decodes(call.Method, payload))
                {
                    if (e.StatusCode == StatusCode.InvalidArgument && e.Status.Detail.StartsWith(UndecodableRequest + method.Name + ":", StringComparison.Ordinal))
                    {
                        undecodable.Add(method.Name);
                    }
                    else
                    {
                        violations.Add($"{method.Name} #{call.Index} ({payload.Length} bytes, not decodable): {e.StatusCode}: {e.Status.Detail}");
                    }
                }
                catch (RpcException e) when (Array.IndexOf(Unacceptable, e.StatusCode) >= 0 || e.Status.Detail.Contains("   at ", StringComparison.Ordinal))
                {
                    violations.Add($"{method.Name} #{call.Index} ({payload.Length} bytes): {e.StatusCode}: {e.Status.Detail}");
                }
                catch (RpcException)
                {
                    // A deliberate refusal (InvalidArgument, NotFound, ...) is the expected answer.
                }
            });
        // Above the NameNode's gRPC request limit (16 MiB): refused before anything is parsed.
        var oversized = await Assert.ThrowsAsync<RpcException>(async () => await invoker.AsyncUnaryCall(
            methods.First(m => m.Name == "GetFileInfo"), null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30)), new byte[17 * MiB]));
        Assert.Equal(StatusCode.ResourceExhausted, oversized.StatusCode);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{DataNodeCases} DataNode cases in {dataNodeTime.TotalSeconds:0.0} s, {RawNameNodeConnections} raw NameNode connections and " +
            $"{methods.Count * CallsPerMethod} ClientProtocol calls ({undecodable.Count} not decodable as the request message), {clock.Elapsed.TotalSeconds:0.0} s in all");

        Assert.False(undecodable.IsEmpty, $"{replay}: no call sent a body that does not decode (the fuzzer lost a case)");
        Assert.True(hung.IsEmpty, $"{replay}: connections neither answered nor dropped within {ConnectionDeadline.TotalSeconds} s:\n{string.Join("\n", hung.Take(20))}");
        Assert.True(violations.IsEmpty, $"{replay}: {violations.Count} calls failed without a deliberate status, by method:\n" +
            string.Join("\n", violations.GroupBy(v => v[..v.IndexOf(' ', StringComparison.Ordinal)]).Select(g => $"{g.Count()} x {g.First()}")));
        await AssertStalledConnectionsDroppedAsync(stalled, replay);

        foreach (var (name, pid) in pids)
        {
            Assert.True(cluster.PidOf(name) == pid, $"{replay}: {name} (pid {pid}) is no longer running (now pid {cluster.PidOf(name)})");
        }
        foreach (var name in dataNodes)
        {
            var peak = PeakMemory.ReadHighWaterMark(pids[name]);
            TestContext.Current.TestOutputHelper?.WriteLine($"{name}: peak RSS {peak / MiB} MiB");
            Assert.True(peak is > 0 and < MaxDataNodeRssBytes, $"{replay}: {name} peak RSS {peak / MiB} MiB, bound {MaxDataNodeRssBytes / MiB} MiB");
            var log = string.Join("\n", cluster.Logs.Of(name));
            Assert.False(log.Contains("unexpected failure", StringComparison.Ordinal), $"{replay}: {name} logged an unexpected failure:\n{Excerpt(log, "unexpected failure")}");
        }

        // A random SetSafeMode may have been allowed (an operator's right, not damage): leave it where the caller may.
        try
        {
            await namenode.SetSafeModeAsync(new SetSafeModeRequest { Action = SafeModeAction.SafeModeLeave }, cancellationToken: Dfs.Token);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.PermissionDenied)
        {
        }
        var after = Random(3 * MiB + 5, seed: 902);
        await Dfs.WriteAsync(cluster.Client, root + "/after.bin", after);
        Dfs.AssertSameBytes(after, await Dfs.ReadAllAsync(cluster.Client, root + "/after.bin"), $"{replay}: after.bin");
        Dfs.AssertSameBytes(before, await Dfs.ReadAllAsync(cluster.Client, root + "/before.bin"), $"{replay}: before.bin");

        AssertNoBrokenWriteFinalized(fuzzer, replay);
        await Eventually.WaitUntilAsync(async () => await DataNodesHoldOnlyNamespaceBlocksAsync(namenode), TimeSpan.FromSeconds(30),
            $"{replay}: every DataNode's own block count to equal the NameNode's count for it");
        var fsck = await cluster.Client.FsckAsync("/", Dfs.Token);
        Assert.True(fsck.Healthy && fsck.CorruptBlocks == 0 && fsck.MissingBlocks == 0,
            $"{replay}: fsck / is not healthy: {fsck.CorruptBlocks} corrupt, {fsck.MissingBlocks} missing");
    }

    private IPEndPoint DataEndpoint(string dataNode)
    {
        var data = cluster.Endpoint(dataNode, "data");
        return new IPEndPoint(IPAddress.Parse(data.Host), data.Port);
    }

    private static IPEndPoint EndpointOf(Uri address) =>
        new(IPAddress.TryParse(address.Host, out var ip) ? ip : IPAddress.Loopback, address.Port);

    /// <summary>A valid ReadBlock request for the file's first block, as a client would send it.</summary>
    private static async Task<byte[]> RecordedReadAsync(ClientProtocol.ClientProtocolClient namenode, string path)
    {
        var located = await namenode.GetBlockLocationsAsync(new GetBlockLocationsRequest { Path = path }, cancellationToken: Dfs.Token);
        var block = located.Blocks[0];
        return DataNodeFrameFuzzer.Op(Opcode.ReadBlock, new ReadBlockHeader
        {
            Block = block.Block,
            Offset = 0,
            Length = 0,
            ClientName = "fuzz-reader",
            AccessToken = block.AccessToken,
        });
    }

    /// <summary>Sends the bytes, half-closes, and reads until the server ends the connection; false when it does not within the deadline.</summary>
    private static async Task<bool> SendAndDrainAsync(IPEndPoint endpoint, byte[] bytes)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Dfs.Token);
        deadline.CancelAfter(ConnectionDeadline);
        try
        {
            await socket.ConnectAsync(endpoint, deadline.Token);
            try
            {
                await socket.SendAsync(bytes, SocketFlags.None, deadline.Token);
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
                // The server dropped the connection before it had everything: that is an answer.
            }
            var buffer = new byte[64 * 1024];
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token) > 0)
            {
            }
            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException) when (!Dfs.Token.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Peers that stop mid-preamble or mid-packet and then say nothing, held open during the fuzz.</summary>
    private static async Task<List<Socket>> OpenStalledConnectionsAsync(IPEndPoint[] ports, long firstBlockId)
    {
        var sockets = new List<Socket>();
        for (var i = 0; i < 8; i++)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            sockets.Add(socket);
            await socket.ConnectAsync(ports[i % ports.Length], Dfs.Token);
            byte[] partial = i % 2 == 0 ? "PYD"u8.ToArray() : DataNodeFrameFuzzer.StalledWrite(firstBlockId + i);
            await socket.SendAsync(partial, SocketFlags.None, Dfs.Token);
        }
        return sockets;
    }

    private static async Task AssertStalledConnectionsDroppedAsync(List<Socket> stalled, string replay)
    {
        foreach (var socket in stalled)
        {
            using (socket)
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Dfs.Token);
                deadline.CancelAfter(ConnectionDeadline);
                var buffer = new byte[4096];
                try
                {
                    while (await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token) > 0)
                    {
                    }
                }
                catch (SocketException)
                {
                }
                catch (OperationCanceledException) when (!Dfs.Token.IsCancellationRequested)
                {
                    Assert.Fail($"{replay}: a stalled connection was still open {ConnectionDeadline.TotalSeconds} s after the fuzz");
                }
            }
        }
    }

    private void AssertNoBrokenWriteFinalized(DataNodeFrameFuzzer fuzzer, string replay)
    {
        var writes = Enumerable.Range(0, DataNodeCases).Select(fuzzer.Build).Where(c => c.WriteBlockId is not null).Select(c => c.WriteBlockId!.Value).ToArray();
        Assert.NotEmpty(writes);
        foreach (var directory in cluster.DataNodeDirectories)
        {
            var finalized = writes.Where(id => ReplicaInspector.FindReplica(directory, id) is not null).ToArray();
            Assert.True(finalized.Length == 0, $"{replay}: broken writes finalized in {directory}: {string.Join(", ", finalized.Take(10))}");
        }
    }

    private static async Task<bool> DataNodesHoldOnlyNamespaceBlocksAsync(ClientProtocol.ClientProtocolClient namenode)
    {
        var report = await namenode.GetDataNodeReportAsync(new GetDataNodeReportRequest(), cancellationToken: Dfs.Token);
        return report.Nodes.Count > 0 && report.Nodes.All(n => n.Live && n.Info.BlockCount == n.BlockCount);
    }

    private static string Excerpt(string log, string marker)
    {
        var at = log.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? "" : log[Math.Max(0, at - 300)..Math.Min(log.Length, at + 1500)];
    }
}
