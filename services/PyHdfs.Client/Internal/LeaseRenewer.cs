namespace PyHdfs.Client.Internal;

/// <summary>Renews the client's lease in the background while at least one output stream is open.</summary>
internal sealed class LeaseRenewer(Func<CancellationToken, Task> renew, TimeSpan interval) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private int _open;
    private CancellationTokenSource? _stop;
    private Task? _loop;

    public void Acquire()
    {
        lock (_lock)
        {
            if (_open++ == 0)
            {
                var stop = _stop = new CancellationTokenSource();
                _loop = Task.Run(() => RunAsync(stop), CancellationToken.None);
            }
        }
    }

    public void Release()
    {
        lock (_lock)
        {
            if (_open > 0 && --_open == 0)
            {
                _stop?.Cancel();
                _stop = null;
                _loop = null;
            }
        }
    }

    /// <summary>Owns <paramref name="stop"/>: Release only cancels it, the loop disposes it.</summary>
    private async Task RunAsync(CancellationTokenSource stop)
    {
        using var _ = stop;
        var token = stop.Token;
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                try
                {
                    await renew(token).ConfigureAwait(false);
                }
                catch (DfsIOException)
                {
                    // Try again at the next tick; the soft limit leaves room for a few misses.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_lock)
        {
            loop = _loop;
            _stop?.Cancel();
            _stop = null;
            _loop = null;
            _open = 0;
        }
        if (loop is not null)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
