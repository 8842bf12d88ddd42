using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Stops the service when the process named by <c>PYHDFS_PARENT_PID</c> (the AppHost, or a test
/// fixture) is gone, so that even a SIGKILLed orchestrator leaves no orphan service behind.
/// </summary>
internal sealed partial class ParentProcessWatcher(
    IConfiguration configuration, IHostApplicationLifetime lifetime, ILogger<ParentProcessWatcher> logger) : BackgroundService
{
    public const string ParentPidKey = "PYHDFS_PARENT_PID";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    // If a graceful stop hangs (a stuck hosted service), the orphan must still go away.
    private static readonly TimeSpan ForcedExitAfter = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!int.TryParse(configuration[ParentPidKey], NumberStyles.Integer, CultureInfo.InvariantCulture, out var parentPid))
        {
            return;
        }
        var parentStart = StartTimeOf(parentPid);
        if (parentStart is null)
        {
            ParentGone(parentPid);
            return;
        }
        using var timer = new PeriodicTimer(PollInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            // Comparing start times guards against the pid being reused by an unrelated process.
            if (StartTimeOf(parentPid) != parentStart)
            {
                ParentGone(parentPid);
                return;
            }
        }
    }

    private void ParentGone(int parentPid)
    {
        LogParentGone(logger, parentPid);
        lifetime.StopApplication();
        _ = Task.Run(async () =>
        {
            await Task.Delay(ForcedExitAfter).ConfigureAwait(false);
            Environment.Exit(1);
        });
    }

    private static DateTime? StartTimeOf(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : process.StartTime;
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "parent process {ParentPid} is gone: stopping")]
    private static partial void LogParentGone(ILogger logger, int parentPid);
}
