using PyHdfs.AppHost.Hosting;

namespace PyHdfs.AppHost.Dashboard;

/// <summary>
/// Keeps probing running services after their start so the dashboard can tell healthy from
/// unhealthy (a process that runs but no longer answers /health).
/// </summary>
internal sealed class ResourceHealthMonitor : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ResourceHealthMonitor(DistributedApplication app) => _loop = Task.Run(() => LoopAsync(app, _stop.Token));

    private static async Task LoopAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var runtime in app.Resources.Where(r => r.State == ResourceState.Running))
                {
                    runtime.LastProbeHealthy = await app.ProbeAsync(runtime, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
