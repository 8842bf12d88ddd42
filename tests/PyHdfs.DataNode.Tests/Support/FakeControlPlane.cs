using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PyHdfs.Protocol;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Protocol.Registry;

namespace PyHdfs.DataNode.Tests.Support;

/// <summary>What the fake NameNode and registry were told, and the commands to hand out.</summary>
public sealed class ControlPlaneRecord
{
    public ConcurrentQueue<DataNodeInfo> RegistryRegistrations { get; } = new();
    public ConcurrentQueue<DataNodeInfo> RegistryHeartbeats { get; } = new();
    public ConcurrentQueue<DataNodeInfo> NameNodeRegistrations { get; } = new();
    public ConcurrentQueue<BlockReportRequest> BlockReports { get; } = new();
    public ConcurrentQueue<BlockReceivedAndDeletedRequest> Incremental { get; } = new();
    public ConcurrentQueue<DataNodeHeartbeatRequest> NameNodeHeartbeats { get; } = new();
    public ConcurrentQueue<DataNodeCommand> PendingCommands { get; } = new();
    public ConcurrentQueue<BadReplica> BadReplicas { get; } = new();

    /// <summary>Told to DataNodes at registration: how often to send a full block report (0: never again).</summary>
    public long BlockReportIntervalMs { get; set; }
    private volatile bool _askReregister;

    public bool AskReregister
    {
        get => _askReregister;
        set => _askReregister = value;
    }

    public IEnumerable<BlockRef> Received => Incremental.SelectMany(r => r.Received);
    public IEnumerable<BlockRef> Deleted => Incremental.SelectMany(r => r.Deleted);
}

/// <summary>A tiny gRPC server playing NameNode (DataNodeProtocol) and registry, recording every call.</summary>
public sealed class FakeControlPlane : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeControlPlane(WebApplication app, ControlPlaneRecord record)
    {
        _app = app;
        Record = record;
    }

    public ControlPlaneRecord Record { get; }
    public string Address => _app.Urls.First();

    public static async Task<FakeControlPlane> StartAsync()
    {
        var record = new ControlPlaneRecord();
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(record);
        var app = builder.Build();
        app.MapGrpcService<FakeNameNode>();
        app.MapGrpcService<FakeRegistry>();
        app.MapGrpcService<FakeClientProtocol>();
        await app.StartAsync();
        return new FakeControlPlane(app, record);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class FakeNameNode(ControlPlaneRecord record) : DataNodeProtocol.DataNodeProtocolBase
    {
        public override Task<RegisterDataNodeResponse> RegisterDataNode(RegisterDataNodeRequest request, ServerCallContext context)
        {
            record.AskReregister = false;
            record.NameNodeRegistrations.Enqueue(request.Node);
            return Task.FromResult(new RegisterDataNodeResponse
            {
                NamenodeId = "fake-nn", HeartbeatIntervalMs = 200, BlockReportIntervalMs = record.BlockReportIntervalMs,
            });
        }

        public override Task<BlockReportResponse> BlockReport(BlockReportRequest request, ServerCallContext context)
        {
            record.BlockReports.Enqueue(request);
            return Task.FromResult(new BlockReportResponse());
        }

        public override Task<BlockReceivedAndDeletedResponse> BlockReceivedAndDeleted(BlockReceivedAndDeletedRequest request, ServerCallContext context)
        {
            record.Incremental.Enqueue(request);
            return Task.FromResult(new BlockReceivedAndDeletedResponse());
        }

        public override Task<DataNodeHeartbeatResponse> SendHeartbeat(DataNodeHeartbeatRequest request, ServerCallContext context)
        {
            record.NameNodeHeartbeats.Enqueue(request);
            // Answers as the active NameNode: a DataNode obeys only the commands of the active one.
            var response = new DataNodeHeartbeatResponse { Reregister = record.AskReregister, Active = true, Epoch = 1 };
            while (record.PendingCommands.TryDequeue(out var command))
            {
                response.Commands.Add(command);
            }
            return Task.FromResult(response);
        }
    }

    private sealed class FakeClientProtocol(ControlPlaneRecord record) : ClientProtocol.ClientProtocolBase
    {
        public override Task<ReportBadBlocksResponse> ReportBadBlocks(ReportBadBlocksRequest request, ServerCallContext context)
        {
            foreach (var replica in request.Replicas)
            {
                record.BadReplicas.Enqueue(replica);
            }
            return Task.FromResult(new ReportBadBlocksResponse());
        }
    }

    private sealed class FakeRegistry(ControlPlaneRecord record) : Registry.RegistryBase
    {
        public override Task<RegisterResponse> Register(RegisterRequest request, ServerCallContext context)
        {
            record.RegistryRegistrations.Enqueue(request.Node);
            return Task.FromResult(new RegisterResponse { TtlMs = 30_000, HeartbeatIntervalMs = 200 });
        }

        public override Task<RegistryHeartbeatResponse> Heartbeat(RegistryHeartbeatRequest request, ServerCallContext context)
        {
            record.RegistryHeartbeats.Enqueue(request.Node);
            return Task.FromResult(new RegistryHeartbeatResponse { Known = true });
        }
    }
}
