using PyHdfs.Protocol;
using PyHdfs.Protocol.Registry;

namespace PyHdfs.Zookeeper;

/// <summary>Where the registry keeps DataNode registrations and the NameNode leadership lease.</summary>
public interface IRegistryStore
{
    /// <summary>Creates or refreshes a registration; announces ADDED or UPDATED.</summary>
    Task RegisterAsync(DataNodeInfo node, CancellationToken cancellationToken = default);

    /// <summary>Refreshes the TTL; false when the registration had expired (it is created again).</summary>
    Task<bool> HeartbeatAsync(DataNodeInfo node, CancellationToken cancellationToken = default);

    Task UnregisterAsync(string id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DataNodeInfo>> ListDataNodesAsync(CancellationToken cancellationToken = default);

    /// <summary>Announces REMOVED for every member whose key has expired; returns how many.</summary>
    Task<int> SweepExpiredAsync(CancellationToken cancellationToken = default);

    /// <summary>Announces REMOVED for one DataNode if its key is gone and its death was not announced yet.</summary>
    Task<bool> RemoveIfExpiredAsync(string id, CancellationToken cancellationToken = default);

    Task<LeadershipResponse> CampaignAsync(string candidateId, string address, long leaseMs, long knownEpoch, CancellationToken cancellationToken = default);

    Task<LeadershipResponse> RenewLeadershipAsync(string candidateId, string address, long leaseMs, long epoch, CancellationToken cancellationToken = default);

    Task<LeadershipResponse> ResignAsync(string candidateId, CancellationToken cancellationToken = default);

    Task<LeadershipResponse> GetLeaderAsync(CancellationToken cancellationToken = default);
}
