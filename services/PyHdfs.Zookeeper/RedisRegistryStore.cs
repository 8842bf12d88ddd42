using Google.Protobuf;
using Microsoft.Extensions.Options;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Registry;
using StackExchange.Redis;

namespace PyHdfs.Zookeeper;

/// <summary>The registry over Redis: TTL keys for DataNodes, a members set, pub/sub events, a leadership lease.</summary>
public sealed class RedisRegistryStore(IConnectionMultiplexer redis, RedisKeys keys, IOptions<RegistryOptions> options, TimeProvider clock)
    : IRegistryStore
{
    private readonly RegistryOptions _options = options.Value;

    private IDatabase Database => redis.GetDatabase();

    public async Task RegisterAsync(DataNodeInfo node, CancellationToken cancellationToken = default) =>
        await UpsertAsync(node, isRegister: true).ConfigureAwait(false);

    public async Task<bool> HeartbeatAsync(DataNodeInfo node, CancellationToken cancellationToken = default) =>
        await UpsertAsync(node, isRegister: false).ConfigureAwait(false);

    private async Task<bool> UpsertAsync(DataNodeInfo node, bool isRegister)
    {
        var id = RequireId(node);
        using var activity = RegistryTelemetry.Source.StartActivity(isRegister ? "register datanode" : "datanode heartbeat");
        activity?.SetTag("pyhdfs.datanode.id", id);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var stored = node.Clone();
        stored.LastHeartbeatUnixMs = now;
        stored.RegisteredUnixMs = 0; // kept in the hash's "registered" field, so a heartbeat need not read it first
        var result = (RedisResult[])(await Database.ScriptEvaluateAsync(LuaScripts.Upsert,
            [keys.DataNode(id), keys.Members],
            [id, stored.ToByteArray(), now, _options.DataNodeTtlMs, keys.Events.ToString(), isRegister ? 1 : 0,
                RegistryEventMessage.RemovedInfo(id)]).ConfigureAwait(false))!;
        return (long)result[0] == 1;
    }

    public async Task UnregisterAsync(string id, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(id))
        {
            throw new Protocol.Errors.DfsException(ErrorKind.InvalidArgument, "unregister: the DataNode id is empty");
        }
        await Database.ScriptEvaluateAsync(LuaScripts.Unregister, [keys.DataNode(id), keys.Members],
            [id, keys.Events.ToString(), RegistryEventMessage.RemovedInfo(id)]).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<DataNodeInfo>> ListDataNodesAsync(CancellationToken cancellationToken = default)
    {
        var database = Database;
        var members = await database.SetMembersAsync(keys.Members).ConfigureAwait(false);
        var batch = database.CreateBatch();
        var reads = members.Select(m => batch.HashGetAsync(keys.DataNode(m.ToString()), ["info", "registered"])).ToList();
        batch.Execute();
        var nodes = new List<DataNodeInfo>(members.Length);
        foreach (var read in reads)
        {
            var fields = await read.ConfigureAwait(false);
            if (fields[0].IsNull)
            {
                continue; // expired, its REMOVED is on its way
            }
            var info = DataNodeInfo.Parser.ParseFrom((byte[])fields[0]!);
            info.RegisteredUnixMs = (long)fields[1];
            nodes.Add(info);
        }
        return nodes;
    }

    public async Task<int> SweepExpiredAsync(CancellationToken cancellationToken = default)
    {
        var database = Database;
        var members = await database.SetMembersAsync(keys.Members).ConfigureAwait(false);
        var batch = database.CreateBatch();
        var checks = members.Select(m => (Id: m.ToString(), Exists: batch.KeyExistsAsync(keys.DataNode(m.ToString())))).ToList();
        batch.Execute();
        var removed = 0;
        foreach (var (id, exists) in checks)
        {
            if (!await exists.ConfigureAwait(false) && await RemoveIfExpiredAsync(id, cancellationToken).ConfigureAwait(false))
            {
                removed++;
            }
        }
        return removed;
    }

    public async Task<bool> RemoveIfExpiredAsync(string id, CancellationToken cancellationToken = default)
    {
        var result = await Database.ScriptEvaluateAsync(LuaScripts.RemoveIfExpired, [keys.DataNode(id), keys.Members],
            [id, keys.Events.ToString(), RegistryEventMessage.RemovedInfo(id)]).ConfigureAwait(false);
        return (long)result == 1;
    }

    public Task<LeadershipResponse> CampaignAsync(string candidateId, string address, long leaseMs, long knownEpoch, CancellationToken cancellationToken = default) =>
        LeadershipAsync(LuaScripts.Campaign, "campaign", RequireCandidate(candidateId), address, RequireLease(leaseMs), Math.Max(0, knownEpoch));

    public Task<LeadershipResponse> RenewLeadershipAsync(string candidateId, string address, long leaseMs, long epoch, CancellationToken cancellationToken = default) =>
        LeadershipAsync(LuaScripts.Renew, "renew leadership", RequireCandidate(candidateId), address, RequireLease(leaseMs), Math.Max(0, epoch));

    public Task<LeadershipResponse> ResignAsync(string candidateId, CancellationToken cancellationToken = default) =>
        LeadershipAsync(LuaScripts.Resign, "resign", RequireCandidate(candidateId), "", 0, 0);

    public Task<LeadershipResponse> GetLeaderAsync(CancellationToken cancellationToken = default) =>
        LeadershipAsync(LuaScripts.GetLeader, null, "", "", 0, 0);

    private async Task<LeadershipResponse> LeadershipAsync(string script, string? spanName, string candidateId, string address, long leaseMs, long epoch)
    {
        using var activity = spanName is null ? null : RegistryTelemetry.Source.StartActivity(spanName);
        activity?.SetTag("pyhdfs.candidate.id", candidateId);
        var result = (RedisResult[])(await Database.ScriptEvaluateAsync(script, [keys.Leader, keys.Epoch],
            [candidateId, address ?? "", leaseMs, epoch]).ConfigureAwait(false))!;
        var response = new LeadershipResponse
        {
            IsLeader = (long)result[0] == 1,
            Epoch = (long)result[1],
            LeaderId = (string?)result[2] ?? "",
            LeaderAddress = (string?)result[3] ?? "",
            LeaseRemainingMs = Math.Max(0, (long)result[4]),
        };
        activity?.SetTag("pyhdfs.is_leader", response.IsLeader);
        activity?.SetTag("pyhdfs.epoch", response.Epoch);
        return response;
    }

    private static string RequireId(DataNodeInfo? node)
    {
        var id = node?.Address?.Id;
        return string.IsNullOrEmpty(id)
            ? throw new Protocol.Errors.DfsException(ErrorKind.InvalidArgument, "datanode registration: node.address.id is empty")
            : id;
    }

    private static string RequireCandidate(string candidateId) =>
        string.IsNullOrEmpty(candidateId)
            ? throw new Protocol.Errors.DfsException(ErrorKind.InvalidArgument, "leader election: candidate_id is empty")
            : candidateId;

    private static long RequireLease(long leaseMs) =>
        leaseMs <= 0
            ? throw new Protocol.Errors.DfsException(ErrorKind.InvalidArgument, $"leader election: lease_ms must be positive, got {leaseMs}")
            : leaseMs;
}
