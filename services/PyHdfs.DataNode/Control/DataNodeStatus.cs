using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using PyHdfs.DataNode.Storage;
using PyHdfs.DataNode.Transfer;
using PyHdfs.Protocol;

namespace PyHdfs.DataNode.Control;

/// <summary>What this DataNode tells the registry and the NameNodes about itself.</summary>
internal sealed class DataNodeStatus(
    DataNodeIdentity identity,
    ReplicaStore store,
    TransferServer transfer,
    IServer server,
    IOptions<DataNodeOptions> options,
    IConfiguration configuration,
    IOptions<WebHdfs.DataNodeWebHdfsOptions> webHdfsOptions)
{
    private readonly long _startedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public string Id => identity.Id;

    public string HttpAddress
    {
        get
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "";
            return address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)
                .Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)
                .Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
        }
    }

    /// <summary>Where WebHDFS clients are redirected to reach this DataNode; empty when it serves no WebHDFS.</summary>
    public string WebHdfsAddress { get; } = WebHdfs.DataNodeWebHdfsEndpoints.AdvertisedAddress(configuration, webHdfsOptions, options);

    public DataNodeAddress Address => new() { Id = identity.Id, Host = options.Value.Host, DataPort = transfer.Port };

    public DataNodeInfo Snapshot() => new()
    {
        Address = Address,
        HttpAddress = HttpAddress,
        WebhdfsAddress = WebHdfsAddress,
        CapacityBytes = store.CapacityBytes,
        UsedBytes = store.UsedBytes,
        RemainingBytes = store.RemainingBytes,
        ActiveTransfers = transfer.ActiveConnections,
        BlockCount = store.BlockCount,
        LastHeartbeatUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        RegisteredUnixMs = _startedUnixMs,
    };
}
