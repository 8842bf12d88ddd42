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

    /// <summary>Starts following every resource of <paramref name="app"/> (call before StartAsync to miss nothing).</summary>
    public static ResourceLogs Watch(DistributedApplication app)
    {
        var logs = new ResourceLogs();
        var loggers = app.Services.GetRequiredService<ResourceLoggerService>();
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        foreach (var resource in model.Resources)
        {
            var queue = logs._lines.GetOrAdd(resource.Name, _ => new ConcurrentQueue<string>());
            _ = Task.Run(async () =>
            {
                try
                {
                    await foreach (var batch in loggers.WatchAsync(resource.Name).WithCancellation(logs._stop.Token))
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
            });
        }
        return logs;
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
