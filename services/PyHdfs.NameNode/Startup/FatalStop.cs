using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PyHdfs.NameNode.Startup;

/// <summary>
/// Crash-only: when this NameNode can no longer be sure it is the one writing the journal
/// (fenced, leadership lost), it stops serving and exits non-zero; a restart reloads everything.
/// </summary>
internal sealed class FatalStop(NameNodeState state, IHostApplicationLifetime lifetime, ILogger<FatalStop> logger)
{
    public void Stop(string reason)
    {
        state.BeginStopping();
        logger.LogCritical("NameNode {Id} stops: {Reason}", state.Id, reason);
        Environment.ExitCode = 1;
        lifetime.StopApplication();
    }
}
