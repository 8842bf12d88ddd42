using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace PyHdfs.NameNode.Startup;

/// <summary>Retries a call to a peer that may not be up yet, with backoff, logging once per change of state.</summary>
internal static class RetryLoop
{
    public static async Task<T> RunAsync<T>(string what, Func<CancellationToken, Task<T>> call, NameNodeOptions options, ILogger logger,
        CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(options.RetryInitialBackoffMs);
        string? lastProblem = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var result = await call(cancellationToken).ConfigureAwait(false);
                if (lastProblem is not null)
                {
                    logger.LogInformation("{What}: succeeded after retrying", what);
                }
                return result;
            }
            catch (RpcException e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                var problem = $"{e.StatusCode}: {e.Status.Detail}";
                if (problem != lastProblem)
                {
                    logger.LogWarning("{What}: not possible yet ({Problem}); retrying with backoff", what, problem);
                    lastProblem = problem;
                }
            }
            await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
            backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, options.RetryMaxBackoffMs));
        }
    }

    public static bool IsTransient(RpcException e) =>
        e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown
            or StatusCode.ResourceExhausted or StatusCode.Aborted or StatusCode.Cancelled;
}
