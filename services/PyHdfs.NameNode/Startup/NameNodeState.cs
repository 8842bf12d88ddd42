using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;

namespace PyHdfs.NameNode.Startup;

/// <summary>Where this NameNode is in its life (docs/ha.md: Starting → Standby ⇄ Active → Stopping).</summary>
internal enum NameNodeRole
{
    /// <summary>The namespace is not loaded yet.</summary>
    Starting,

    /// <summary>Loaded, tailing the journal and taking block reports; refuses client calls; campaigning.</summary>
    Standby,

    /// <summary>Leads with <see cref="NameNodeState.Epoch"/>: the only NameNode that journals.</summary>
    Active,

    Stopping,
}

/// <summary>The NameNode's role and leadership, read by every RPC and by the health check.</summary>
internal sealed class NameNodeState(NameNodeOptions options)
{
    private volatile NameNodeRole _role = NameNodeRole.Starting;
    private volatile string _startupStep = "starting";
    private long _epoch;
    private long _lastAppliedTxid;

    public string Id => options.Id;

    public NameNodeRole Role => _role;

    public long Epoch => Interlocked.Read(ref _epoch);

    /// <summary>The last journal txid applied to memory (tailed on a standby, appended on the active).</summary>
    public long LastAppliedTxid => Interlocked.Read(ref _lastAppliedTxid);

    public string LeaderAddress { get; private set; } = "";

    public string StartupStep => _startupStep;

    public bool IsActive => _role == NameNodeRole.Active;

    /// <summary>Active or standby: the namespace is loaded, so block reports can be judged.</summary>
    public bool IsLoaded => _role is NameNodeRole.Active or NameNodeRole.Standby;

    /// <summary>"active", "standby", "starting" or "stopping" (GetHaStatus, pyhdfs admin ha).</summary>
    public string RoleName => _role.ToString().ToLowerInvariant();

    public void SetStartupStep(string step) => _startupStep = step;

    /// <summary>What a standby tells the clients it refuses ("standby", or why no NameNode can take over).</summary>
    public void SetStandbyReason(string reason)
    {
        if (_role == NameNodeRole.Standby)
        {
            _startupStep = reason;
        }
    }

    public void SetLastAppliedTxid(long txid) => Interlocked.Exchange(ref _lastAppliedTxid, txid);

    public void BecomeStandby(string step)
    {
        if (_role == NameNodeRole.Stopping)
        {
            return;
        }
        _startupStep = step;
        _role = NameNodeRole.Standby;
    }

    public void BecomeActive(long epoch, string address)
    {
        if (_role == NameNodeRole.Stopping)
        {
            return;
        }
        Interlocked.Exchange(ref _epoch, epoch);
        LeaderAddress = address;
        _startupStep = "active";
        _role = NameNodeRole.Active;
    }

    /// <summary>Leaves Active at once (fenced or leadership lost): every later call is refused as standby.</summary>
    public void StepDown(string why)
    {
        if (_role == NameNodeRole.Active)
        {
            _startupStep = why;
            _role = NameNodeRole.Starting;
        }
    }

    public void BeginStopping() => _role = NameNodeRole.Stopping;

    /// <summary>Refuses service unless this NameNode is the active one (clients then try the next NameNode).</summary>
    public void EnsureActive()
    {
        var role = _role;
        if (role != NameNodeRole.Active)
        {
            var why = role switch
            {
                NameNodeRole.Standby => _startupStep,
                NameNodeRole.Stopping => "stopping",
                _ => _startupStep,
            };
            throw new DfsException(ErrorKind.StandbyNamenode,
                $"NameNode {options.Id} is not active ({why}): retry or use the active NameNode");
        }
    }

    /// <summary>DataNode calls are taken by the active and the standby alike, once the namespace is loaded.</summary>
    public void EnsureLoaded()
    {
        if (!IsLoaded)
        {
            throw new DfsException(ErrorKind.StandbyNamenode,
                $"NameNode {options.Id} has not loaded the namespace yet ({_startupStep}): retry later");
        }
    }
}
