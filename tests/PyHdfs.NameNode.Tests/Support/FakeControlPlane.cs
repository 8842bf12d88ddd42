using System.Threading.Channels;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.Metadata;
using PyHdfs.Protocol.Registry;

namespace PyHdfs.NameNode.Tests.Support;

/// <summary>
/// In-process stand-ins for the registry and the metadata service on one h2c port: just enough
/// of their contracts to start a real NameNode host against them.
/// </summary>
internal sealed class FakeControlPlane : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeControlPlane(WebApplication app, FakeState state)
    {
        _app = app;
        State = state;
    }

    public FakeState State { get; }

    public string Address => _app.Urls.First();

    public static async Task<FakeControlPlane> StartAsync(FakeState state)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(o => o.ConfigureEndpointDefaults(l => l.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(state);
        var app = builder.Build();
        app.MapGrpcService<FakeRegistry>();
        app.MapGrpcService<FakeMetadata>();
        await app.StartAsync();
        return new FakeControlPlane(app, state);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    internal sealed class FakeState
    {
        public long Epoch { get; set; } = 3;
        public ImageHeader Header { get; set; } = new();
        public List<InodeRecord> Inodes { get; } = [];
        public List<DataNodeInfo> LiveNodes { get; } = [];
        public List<JournalEntry> Journal { get; } = [];
        public List<long> AppendEpochs { get; } = [];
        public bool Fenced { get; set; }
        public int CampaignCalls { get; set; }

        /// <summary>While positive, LoadNamespace / Append answer UNAVAILABLE (and count down).</summary>
        public int UnavailableLoads { get; set; }
        public int UnavailableAppends { get; set; }
        public int LoadCalls { get; set; }
        public int AppendCalls { get; set; }
        public Channel<DataNodeEvent> Events { get; } = Channel.CreateUnbounded<DataNodeEvent>();
    }

    private sealed class FakeRegistry(FakeState state) : Registry.RegistryBase
    {
        /// <summary>The candidate leads, unless the state is fenced: then another NameNode does, with a higher epoch.</summary>
        public override Task<LeadershipResponse> Campaign(CampaignRequest request, ServerCallContext context)
        {
            lock (state)
            {
                state.CampaignCalls++;
                return Task.FromResult(state.Fenced
                    ? new LeadershipResponse { IsLeader = false, Epoch = state.Epoch + 1, LeaderId = "another-namenode", LeaderAddress = "http://127.0.0.1:1", LeaseRemainingMs = request.LeaseMs }
                    : new LeadershipResponse
                    {
                        IsLeader = true, Epoch = state.Epoch, LeaderId = request.CandidateId, LeaderAddress = request.Address, LeaseRemainingMs = request.LeaseMs,
                    });
            }
        }

        public override Task<LeadershipResponse> RenewLeadership(CampaignRequest request, ServerCallContext context) => Campaign(request, context);

        public override async Task WatchDataNodes(WatchDataNodesRequest request, IServerStreamWriter<DataNodeEvent> responseStream, ServerCallContext context)
        {
            var snapshot = new DataNodeEvent { Kind = DataNodeEvent.Types.Kind.Snapshot };
            lock (state)
            {
                snapshot.Nodes.AddRange(state.LiveNodes);
            }
            await responseStream.WriteAsync(snapshot);
            await foreach (var change in state.Events.Reader.ReadAllAsync(context.CancellationToken))
            {
                await responseStream.WriteAsync(change);
            }
        }
    }

    private sealed class FakeMetadata(FakeState state) : Protocol.Metadata.Metadata.MetadataBase
    {
        public override Task<NewEpochResponse> NewEpoch(NewEpochRequest request, ServerCallContext context) =>
            Task.FromResult(new NewEpochResponse { PromisedEpoch = request.Epoch, LastTxid = state.Header.LastTxid });

        public override Task<AppendResponse> Append(AppendRequest request, ServerCallContext context) => Task.FromResult(Handle(request));

        /// <summary>The epoch promised so far is the one before the state's: a NameNode without high availability takes the state's epoch.</summary>
        public override Task<MetadataStatus> GetStatus(GetStatusRequest request, ServerCallContext context)
        {
            lock (state)
            {
                return Task.FromResult(new MetadataStatus { PromisedEpoch = state.Epoch - 1, LastTxid = state.Header.LastTxid });
            }
        }

        public override async Task AppendStream(IAsyncStreamReader<AppendRequest> requestStream, IServerStreamWriter<AppendResponse> responseStream,
            ServerCallContext context)
        {
            await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
            {
                await responseStream.WriteAsync(Handle(request), context.CancellationToken);
            }
        }

        private AppendResponse Handle(AppendRequest request)
        {
            lock (state)
            {
                state.AppendCalls++;
                if (state.UnavailableAppends > 0)
                {
                    state.UnavailableAppends--;
                    throw new RpcException(new Status(StatusCode.Unavailable, "metadata is restarting"));
                }
                if (state.Fenced)
                {
                    throw DfsErrors.Create(ErrorKind.Fenced, $"epoch {request.Epoch} is below the promised {request.Epoch + 1}");
                }
                state.AppendEpochs.Add(request.Epoch);
                state.Journal.AddRange(request.Entries);
                return new AppendResponse { LastTxid = request.Entries[^1].Txid };
            }
        }

        /// <summary>The journal from from_txid; a follower then waits (nothing is appended by anyone else here).</summary>
        public override async Task ReadJournal(ReadJournalRequest request, IServerStreamWriter<JournalEntry> responseStream, ServerCallContext context)
        {
            List<JournalEntry> entries;
            lock (state)
            {
                entries = [.. state.Journal.Where(e => e.Txid >= request.FromTxid)];
            }
            foreach (var entry in entries)
            {
                await responseStream.WriteAsync(entry);
            }
            if (request.Follow)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, context.CancellationToken);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }

        public override async Task LoadNamespace(LoadNamespaceRequest request, IServerStreamWriter<NamespaceImageChunk> responseStream, ServerCallContext context)
        {
            lock (state)
            {
                state.LoadCalls++;
                if (state.UnavailableLoads > 0)
                {
                    state.UnavailableLoads--;
                    throw new RpcException(new Status(StatusCode.Unavailable, "metadata is starting"));
                }
            }
            await responseStream.WriteAsync(new NamespaceImageChunk { Header = state.Header });
            foreach (var inode in state.Inodes)
            {
                var chunk = new NamespaceImageChunk();
                chunk.Inodes.Add(inode);
                await responseStream.WriteAsync(chunk);
            }
        }
    }
}
