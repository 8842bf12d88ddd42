using System.Diagnostics;

namespace PyHdfs.Testing;

/// <summary>Waits on a condition with a deadline instead of sleeping "long enough".</summary>
public static class Eventually
{
    public static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, TimeSpan? pollInterval = null)
    {
        var interval = pollInterval ?? TimeSpan.FromMilliseconds(50);
        var clock = Stopwatch.StartNew();
        Exception? last = null;
        while (true)
        {
            try
            {
                var value = await probe().ConfigureAwait(false);
                if (value is not null && !(value is bool b && !b))
                {
                    return value;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                last = e;
            }
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0.#} s waiting for {what}" +
                    (last is null ? "" : $" (last error: {last.GetType().Name}: {last.Message})"), last);
            }
            await Task.Delay(interval).ConfigureAwait(false);
        }
    }

    public static Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? pollInterval = null) =>
        WaitForAsync<object>(async () => await condition().ConfigureAwait(false) ? new object() : null, timeout, what, pollInterval);

    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, what);
}
