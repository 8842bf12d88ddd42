using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;

namespace PyHdfs.NameNode.Startup;

/// <summary>Where this NameNode is in its life. Standby (and safe mode) will be further roles here.</summary>
internal enum NameNodeRole
{
    Starting,
    Active,
    Stopping,
}

/// <summary>The NameNode's role and leadership, read by every RPC and by the health check.</summary>
internal sealed class NameNodeState(NameNodeOptions options)
{
    private volatile NameNodeRole _role = NameNodeRole.Starting;
    private volatile string _startupStep = "starting";

    public string Id => options.Id;

    public NameNodeRole Role => _role;

    public long Epoch { get; private set; }

    public string LeaderAddress { get; private set; } = "";

    public string StartupStep => _startupStep;

    public bool IsActive => _role == NameNodeRole.Active;

    public void SetStartupStep(string step) => _startupStep = step;

    public void BecomeActive(long epoch, string address)
    {
        Epoch = epoch;
        LeaderAddress = address;
        _startupStep = "active";
        _role = NameNodeRole.Active;
    }

    public void BeginStopping() => _role = NameNodeRole.Stopping;

    /// <summary>Refuses service until the namespace is loaded and this NameNode leads.</summary>
    public void EnsureActive()
    {
        if (_role != NameNodeRole.Active)
        {
            throw new DfsException(ErrorKind.StandbyNamenode,
                $"NameNode {options.Id} is not active ({(_role == NameNodeRole.Stopping ? "stopping" : _startupStep)}): retry or use the active NameNode");
        }
    }
}
