using Microsoft.Extensions.Options;
using PyHdfs.Metadata.Storage;

namespace PyHdfs.Metadata;

/// <summary>Keeps the journal at Metadata:JournalRetainEntries entries by trimming the oldest in the background.</summary>
public sealed partial class JournalTrimmer(NamespaceStore store, IOptions<MetadataOptions> options, ILogger<JournalTrimmer> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.JournalTrimIntervalMs));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var trimmed = await store.TrimJournalAsync(options.Value.JournalRetainEntries, cancellationToken: stoppingToken).ConfigureAwait(false);
                    if (trimmed > 0)
                    {
                        LogTrimmed(logger, trimmed, options.Value.JournalRetainEntries);
                    }
                }
                catch (Microsoft.Data.Sqlite.SqliteException e)
                {
                    LogTrimFailed(logger, store.DatabasePath, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "metadata: trimmed {Count} journal entries (retaining {Retain})")]
    private static partial void LogTrimmed(ILogger logger, long count, long retain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "metadata: trimming the journal of {Path} failed: {Cause}")]
    private static partial void LogTrimFailed(ILogger logger, string path, string cause);
}
