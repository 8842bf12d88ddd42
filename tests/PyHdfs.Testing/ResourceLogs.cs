using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace PyHdfs.Testing;

/// <summary>
/// The console output of every resource of a running app, as Aspire's ResourceLoggerService streams it
/// (the lines the dashboard's console view shows): for assertions on logs and for reports of failures.
/// </summary>
public sealed class ResourceLogs : IDisposable
{
    private const int LinesKept = 5000;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _lines = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();

    private ResourceLogs()
    {
    }

    /// <summary>
    /// Starts following every resource of <paramref name="app"/> (call before StartAsync to miss nothing).
    /// Logs are kept per resource instance id, which changes when a resource is started again, so each new
    /// id that Aspire's notifications mention gets its own watch.
    /// </summary>
    public static ResourceLogs Watch(DistributedApplication app)
    {
        var logs = new ResourceLogs();
        var loggers = app.Services.GetRequiredService<ResourceLoggerService>();
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        _ = Task.Run(async () =>
        {
            var watched = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                await foreach (var update in notifications.WatchAsync(logs._stop.Token))
                {
                    if (watched.Add(update.ResourceId))
                    {
                        var queue = logs._lines.GetOrAdd(update.Resource.Name, _ => new ConcurrentQueue<string>());
                        _ = Task.Run(() => logs.FollowAsync(loggers, update.ResourceId, queue));
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        return logs;
    }

    private async Task FollowAsync(ResourceLoggerService loggers, string resourceId, ConcurrentQueue<string> queue)
    {
        try
        {
            await foreach (var batch in loggers.WatchAsync(resourceId).WithCancellation(_stop.Token))
            {
                foreach (var line in batch)
                {
                    queue.Enqueue(line.Content);
                    while (queue.Count > LinesKept && queue.TryDequeue(out _))
                    {
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Every line kept for one resource, oldest first.</summary>
    public IReadOnlyList<string> Of(string resource) => _lines.TryGetValue(resource, out var queue) ? [.. queue] : [];

    /// <summary>The last lines of every resource, for a failure message.</summary>
    public string Recent(int linesPerResource) =>
        string.Join("\n", _lines.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"--- {p.Key}:\n  " + string.Join("\n  ", p.Value.TakeLast(linesPerResource))));

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
