namespace PyHdfs.Client.Internal;

/// <summary>Renews the client's lease in the background while at least one output stream is open.</summary>
/// <remarks>
/// The loop of a period stops by disposing its timer, which ends the wait without an exception: a
/// cancelled wait throws, and with one period per short-lived file (create + close) those exceptions
/// were half of a creating client's CPU.
/// </remarks>
internal sealed class LeaseRenewer(Func<CancellationToken, Task> renew, TimeSpan interval) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _disposed = new();
    private int _open;
    private PeriodicTimer? _timer;
    private Task? _loop;

    public void Acquire()
    {
        lock (_lock)
        {
            if (_open++ == 0)
            {
                var timer = _timer = new PeriodicTimer(interval);
                _loop = Task.Run(() => RunAsync(timer), CancellationToken.None);
            }
        }
    }

    public void Release()
    {
        lock (_lock)
        {
            if (_open > 0 && --_open == 0)
            {
                _timer?.Dispose();
                _timer = null;
                _loop = null;
            }
        }
    }

    private async Task RunAsync(PeriodicTimer timer)
    {
        var token = _disposed.Token;
        // WaitForNextTickAsync returns false once the timer is disposed (Release or DisposeAsync).
        while (await timer.WaitForNextTickAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                await renew(token).ConfigureAwait(false);
            }
            catch (DfsIOException)
            {
                // Try again at the next tick; the soft limit leaves room for a few misses.
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_lock)
        {
            loop = _loop;
            _timer?.Dispose();
            _timer = null;
            _loop = null;
            _open = 0;
        }
        await _disposed.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        // _disposed is not disposed: a loop of an earlier period may still be finishing a renewal with its token.
    }
}
