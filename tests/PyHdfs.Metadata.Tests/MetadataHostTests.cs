using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.Metadata;
using PyHdfs.Testing;
using static PyHdfs.Metadata.Tests.Ops;

namespace PyHdfs.Metadata.Tests;

/// <summary>The service over gRPC (h2c), hosted in-process or as a real child process.</summary>
public sealed class MetadataHostTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static string[] Args(string databasePath, params string[] extra) =>
    [
        "--urls=http://127.0.0.1:0",
        $"--Metadata:DatabasePath={databasePath}",
        "--Metadata:SuperUser=hdfs",
        "--Logging:LogLevel:Default=Warning",
        .. extra,
    ];

    private static async Task<WebApplication> StartAsync(string databasePath)
    {
        var app = MetadataHost.Build(Args(databasePath));
        await app.StartAsync();
        return app;
    }

    private static PyHdfs.Protocol.Metadata.Metadata.MetadataClient Client(Grpc.Net.Client.GrpcChannel channel) => new(channel);

    [Fact]
    public async Task Append_load_and_fencing_work_over_grpc_with_typed_errors()
    {
        using var directory = new TempDirectory();
        await using var app = await StartAsync(directory.Combine("db", "namespace.db"));
        using var channel = GrpcChannels.Create(new Uri(app.Urls.First()));
        var client = Client(channel);

        await client.NewEpochAsync(new NewEpochRequest { Epoch = 1, WriterId = "nn-1" });
        var appended = await client.AppendAsync(new AppendRequest { Epoch = 1, Entries = { Entries(1, Mkdir(2, Root, "a"), CreateFile(3, 2, "f")) } });
        var promised = await client.NewEpochAsync(new NewEpochRequest { Epoch = 2, WriterId = "nn-2" });
        var fenced = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.AppendAsync(new AppendRequest { Epoch = 1, Entries = { Entries(3, Mkdir(4, Root, "b")) } }));
        var gap = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.AppendAsync(new AppendRequest { Epoch = 2, Entries = { Entries(9, Mkdir(4, Root, "b")) } }));

        Assert.Equal(2, appended.LastTxid);
        Assert.Equal(2, promised.LastTxid);
        Assert.Equal(ErrorKind.Fenced, DfsErrors.KindOf(fenced));
        Assert.Equal(StatusCode.FailedPrecondition, fenced.StatusCode);
        Assert.Equal(ErrorKind.InvalidArgument, DfsErrors.KindOf(gap));

        using var load = client.LoadNamespace(new LoadNamespaceRequest());
        var image = await Image.FromChunksAsync(load.ResponseStream.ReadAllAsync());
        Assert.Equal(2, image.Header.LastTxid);
        Assert.Equal(2, image.Header.PromisedEpoch);
        Assert.Equal(InodeKind.File, image.Child(2, "f").Kind);

        var status = await client.GetStatusAsync(new GetStatusRequest());
        Assert.Equal(3, status.InodeCount);
    }

    [Fact]
    public async Task A_follower_over_grpc_receives_new_entries_as_they_commit()
    {
        using var directory = new TempDirectory();
        await using var app = await StartAsync(directory.Combine("namespace.db"));
        using var channel = GrpcChannels.Create(new Uri(app.Urls.First()));
        var client = Client(channel);
        using var follow = client.ReadJournal(new ReadJournalRequest { FromTxid = 1, Follow = true });
        using var deadline = new CancellationTokenSource(Deadline);

        await client.AppendAsync(new AppendRequest { Epoch = 1, Entries = { Entries(1, Mkdir(2, Root, "a")) } });
        Assert.True(await follow.ResponseStream.MoveNext(deadline.Token));
        Assert.Equal(1, follow.ResponseStream.Current.Txid);

        await client.AppendAsync(new AppendRequest { Epoch = 1, Entries = { Entries(2, Mkdir(3, Root, "b")) } });
        Assert.True(await follow.ResponseStream.MoveNext(deadline.Token));
        Assert.Equal("b", follow.ResponseStream.Current.Op.Mkdir.Name);
    }

    [Fact]
    public async Task A_restarted_host_serves_the_same_namespace()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("namespace.db");
        await using (var first = await StartAsync(path))
        {
            using var channel = GrpcChannels.Create(new Uri(first.Urls.First()));
            await Client(channel).NewEpochAsync(new NewEpochRequest { Epoch = 3, WriterId = "nn" });
            await Client(channel).AppendAsync(new AppendRequest { Epoch = 3, Entries = { Entries(1, Mkdir(2, Root, "a"), Mkdir(3, 2, "b")) } });
            await first.StopAsync();
        }

        await using var second = await StartAsync(path);
        using var again = GrpcChannels.Create(new Uri(second.Urls.First()));
        var status = await Client(again).GetStatusAsync(new GetStatusRequest());

        Assert.Equal(2, status.LastTxid);
        Assert.Equal(3, status.PromisedEpoch);
        Assert.Equal(3, status.InodeCount);
    }

    [Fact]
    public async Task Health_reports_the_database()
    {
        using var directory = new TempDirectory();
        await using var app = await StartAsync(directory.Combine("namespace.db"));
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        var response = await http.GetAsync(new Uri(new Uri(app.Urls.First()), "/health"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Acknowledged_appends_survive_kill_9()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("namespace.db");
        long acknowledged;
        using (var process = await MetadataProcess.StartAsync(directory, path))
        {
            using var channel = GrpcChannels.Create(process.Address);
            var client = Client(channel);
            await client.NewEpochAsync(new NewEpochRequest { Epoch = 5, WriterId = "nn" });
            acknowledged = 0;
            for (var batch = 0; batch < 20; batch++)
            {
                var ops = Enumerable.Range(0, 50).Select(i => Mkdir(2 + batch * 50 + i, Root, $"d{batch}-{i}")).ToArray();
                acknowledged = (await client.AppendAsync(new AppendRequest { Epoch = 5, Entries = { Entries(acknowledged + 1, ops) } })).LastTxid;
            }
            process.Kill9();
        }

        using var store = Storage.NamespaceStore.Open(path, "other");
        var image = await Image.LoadAsync(store);
        Assert.Equal(1_000, acknowledged);
        Assert.Equal(acknowledged, image.Header.LastTxid);
        Assert.Equal(5, image.Header.PromisedEpoch);
        Assert.Equal(1_001, image.Inodes.Count);
    }

    /// <summary>The real service binary (copied beside the tests) in its own process.</summary>
    private sealed class MetadataProcess : IDisposable
    {
        private readonly Process _process;

        private MetadataProcess(Process process, Uri address)
        {
            _process = process;
            Address = address;
        }

        public Uri Address { get; }

        public static async Task<MetadataProcess> StartAsync(TempDirectory directory, string databasePath)
        {
            // A port the OS just handed out: the service binds it itself (a rare collision shows as a failed start).
            var address = new Uri($"http://127.0.0.1:{FreePort.Next()}");
            var info = new ProcessStartInfo("dotnet")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = directory.Path,
            };
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PyHdfs.Metadata.dll"));
            foreach (var arg in Args(databasePath).Where(a => !a.StartsWith("--urls=", StringComparison.Ordinal)).Append($"--urls={address}"))
            {
                info.ArgumentList.Add(arg);
            }
            var process = Process.Start(info)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                using var http = new HttpClient { DefaultRequestVersion = System.Net.HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
                await Eventually.WaitUntilAsync(async () =>
                {
                    Assert.False(process.HasExited, $"the metadata process exited with {(process.HasExited ? process.ExitCode : 0)}");
                    try
                    {
                        return (await http.GetAsync(new Uri(address, "/health"))).IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                }, Deadline, $"the metadata process to answer /health at {address}");
                return new MetadataProcess(process, address);
            }
            catch
            {
                process.Kill(entireProcessTree: true);
                process.Dispose();
                throw;
            }
        }

        public void Kill9()
        {
            // Process.Kill sends SIGKILL on Linux: no graceful shutdown, no final checkpoint.
            _process.Kill();
            _process.WaitForExit();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            _process.Dispose();
        }
    }
}
