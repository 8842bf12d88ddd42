using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PyHdfs.AppHost;

/// <summary>
/// A restart policy for run mode, which Aspire's DCP does not have for executables: a resource that
/// exits with a non-zero code (crash, kill -9, OOM) while the AppHost runs is started again with
/// Aspire's own start command, backing off from 1 s to 30 s while it keeps failing. A clean exit
/// (code 0: stopped from the dashboard, SIGTERM) stays stopped.
/// </summary>
public static class RestartOnFailure
{
    public static IResourceBuilder<T> WithRestartOnFailure<T>(this IResourceBuilder<T> resource) where T : IResource
    {
        if (resource.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            resource.ApplicationBuilder.Services.AddSingleton<IHostedService>(sp => new Restarter(resource.Resource,
                sp.GetRequiredService<ResourceNotificationService>(), sp.GetRequiredService<ResourceCommandService>(),
                sp.GetRequiredService<IHostApplicationLifetime>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RestartOnFailure))));
        }
        return resource;
    }

    private sealed class Restarter(IResource resource, ResourceNotificationService notifications, ResourceCommandService commands,
        IHostApplicationLifetime lifetime, ILogger logger) : BackgroundService
    {
        private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
        private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
        private static readonly TimeSpan StableAfter = TimeSpan.FromMinutes(1);

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var backoff = FirstBackoff;
            var runningSince = DateTime.MaxValue;
            var restarting = false; // a start was issued: later updates of the old exit are stale until it runs again
            try
            {
                await foreach (var update in notifications.WatchAsync(stoppingToken).ConfigureAwait(false))
                {
                    if (update.Resource != resource)
                    {
                        continue;
                    }
                    var state = update.Snapshot.State?.Text;
                    if (state == KnownResourceStates.Running)
                    {
                        restarting = false;
                        if (runningSince == DateTime.MaxValue)
                        {
                            runningSince = DateTime.UtcNow;
                        }
                        continue;
                    }
                    var failed = state == KnownResourceStates.FailedToStart
                        || (state == KnownResourceStates.Exited || state == KnownResourceStates.Finished) && update.Snapshot.ExitCode is not (0 or null);
                    if (!failed || (restarting && state != KnownResourceStates.FailedToStart) || lifetime.ApplicationStopping.IsCancellationRequested)
                    {
                        continue;
                    }
                    if (DateTime.UtcNow - runningSince > StableAfter)
                    {
                        backoff = FirstBackoff;
                    }
                    runningSince = DateTime.MaxValue;
                    logger.LogWarning("{Resource} ended ({State}, exit code {Code}); starting it again in {Seconds:0} s",
                        resource.Name, state, update.Snapshot.ExitCode, backoff.TotalSeconds);
                    await Task.Delay(backoff, stoppingToken).ConfigureAwait(false);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                    restarting = true;
                    var result = await commands.ExecuteCommandAsync(update.ResourceId, KnownResourceCommands.StartCommand, stoppingToken).ConfigureAwait(false);
                    if (!result.Success)
                    {
                        logger.LogError("Could not start {Resource} again: {Error}", resource.Name, result.Message);
                        restarting = false;
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
        }
    }
}
