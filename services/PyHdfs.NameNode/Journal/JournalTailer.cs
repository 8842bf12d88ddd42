using Grpc.Core;
using Microsoft.Extensions.Logging;
using PyHdfs.NameNode.Namespace;
using PyHdfs.NameNode.Startup;
using PyHdfs.Protocol.Metadata;
using MetadataClient = PyHdfs.Protocol.Metadata.Metadata.MetadataClient;

namespace PyHdfs.NameNode.Journal;

/// <summary>The journal no longer continues where memory is (trimmed past it, or an op does not apply): reload the image.</summary>
internal sealed class JournalGapException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A standby's view of the journal: applies every entry after <see cref="NameNodeState.LastAppliedTxid"/>
/// to the namespace (filling the retry cache from the journaled request ids), in txid order.
/// </summary>
internal sealed class JournalTailer(MetadataClient metadata, FsNamespace fs, NameNodeState state, NameNodeOptions options, ILogger<JournalTailer> logger)
{
    /// <summary>Follows the journal until cancelled, reconnecting with backoff; throws <see cref="JournalGapException"/>.</summary>
    public async Task FollowAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(options.RetryInitialBackoffMs);
        var failing = false;
        while (true)
        {
            try
            {
                await ReadAsync(follow: true, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromMilliseconds(options.RetryInitialBackoffMs);
            }
            catch (RpcException e) when (RetryLoop.IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                if (!failing)
                {
                    logger.LogWarning("Standby {Id}: tailing the journal failed ({Status}: {Detail}); retrying with backoff", state.Id, e.StatusCode, e.Status.Detail);
                    failing = true;
                }
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, options.RetryMaxBackoffMs));
            }
        }
    }

    /// <summary>Applies every entry up to the journal's current end (retrying while the metadata service is down).</summary>
    public Task CatchUpAsync(CancellationToken cancellationToken) =>
        RetryLoop.RunAsync("metadata ReadJournal (catch-up)", async ct =>
        {
            await ReadAsync(follow: false, ct).ConfigureAwait(false);
            return true;
        }, options, logger, cancellationToken);

    private async Task ReadAsync(bool follow, CancellationToken cancellationToken)
    {
        var from = state.LastAppliedTxid + 1;
        using var call = metadata.ReadJournal(new ReadJournalRequest { FromTxid = from, Follow = follow }, cancellationToken: cancellationToken);
        try
        {
            await foreach (var entry in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var last = state.LastAppliedTxid;
                if (entry.Txid <= last)
                {
                    continue;
                }
                if (entry.Txid != last + 1)
                {
                    throw new JournalGapException($"the journal continues at txid {entry.Txid}, memory is at {last}");
                }
                try
                {
                    fs.ApplyJournaled(entry.Op);
                }
                catch (InvalidOperationException e)
                {
                    throw new JournalGapException($"journal entry {entry.Txid} ({entry.Op.OpCase}) does not apply: {e.Message}", e);
                }
                state.SetLastAppliedTxid(entry.Txid);
            }
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument or StatusCode.OutOfRange)
        {
            throw new JournalGapException($"the journal cannot be read from txid {from}: {e.Status.Detail}", e);
        }
    }
}
