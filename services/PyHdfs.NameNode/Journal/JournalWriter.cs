using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.Metadata;
using MetadataClient = PyHdfs.Protocol.Metadata.Metadata.MetadataClient;

namespace PyHdfs.NameNode.Journal;

/// <summary>
/// Group commit of journal entries to the metadata service. Entries are queued in txid order
/// (<see cref="Append"/> runs under the namespace lock); one Append RPC is in flight at a time,
/// and whatever was queued meanwhile goes into the next one. A waiter is released when the
/// durable txid reaches its own, so an acknowledged mutation implies every earlier one is durable.
/// Transient failures are retried with backoff for as long as it takes (the callers wait);
/// FENCED (or any answer that means the journal and memory disagree) ends the term: every waiter
/// fails, <c>onFatal</c> makes the NameNode step down, and <see cref="Start"/> begins a new term.
/// </summary>
internal sealed class JournalWriter(MetadataClient client, NameNodeOptions options, ILogger<JournalWriter> logger, Action<string> onFatal)
    : IEditLog, IDisposable
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private CancellationTokenSource _term = new();
    private long _generation;
    private List<JournalEntry> _pending = [];
    private readonly Dictionary<long, ActivityContext> _traceOfTxid = [];
    private readonly List<(long Txid, TaskCompletionSource Done)> _waiters = [];
    private long _epoch;
    private long _lastTxid;
    private long _durableTxid;
    private bool _flushing;
    private DfsException? _failure;
    private long _appendCalls;

    public long LastTxid
    {
        get { lock (_gate) { return _lastTxid; } }
    }

    public long DurableTxid
    {
        get { lock (_gate) { return _durableTxid; } }
    }

    public long Epoch
    {
        get { lock (_gate) { return _epoch; } }
    }

    /// <summary>Append RPCs sent (including retries).</summary>
    public long AppendCalls => Interlocked.Read(ref _appendCalls);

    /// <summary>Begins a term, after NewEpoch and loading: the epoch to write with and the last durable txid.</summary>
    public void Start(long epoch, long lastTxid)
    {
        lock (_gate)
        {
            _generation++;
            _term = new CancellationTokenSource();
            _failure = null;
            _pending = [];
            _traceOfTxid.Clear();
            _waiters.Clear();
            _flushing = false;
            _epoch = epoch;
            _lastTxid = lastTxid;
            _durableTxid = lastTxid;
        }
    }

    /// <summary>
    /// Ends the term (this NameNode is no longer active): queued entries are dropped, a batch in
    /// flight is abandoned, and every waiter fails with <paramref name="error"/>, so no caller is
    /// told its mutation is durable unless the metadata service acknowledged it first.
    /// </summary>
    public void StopTerm(DfsException error)
    {
        lock (_gate)
        {
            _failure ??= error;
            foreach (var (_, done) in _waiters)
            {
                done.TrySetException(_failure);
            }
            _waiters.Clear();
            _pending.Clear();
            _traceOfTxid.Clear();
            _term.Cancel();
        }
    }

    public long Append(NamespaceOp op)
    {
        lock (_gate)
        {
            if (_failure is not null)
            {
                throw _failure;
            }
            var txid = ++_lastTxid;
            _pending.Add(new JournalEntry { Txid = txid, Epoch = _epoch, Op = op });
            if (Activity.Current is { Recorded: true } caller)
            {
                _traceOfTxid[txid] = caller.Context;
            }
            if (!_flushing)
            {
                _flushing = true;
                var generation = _generation;
                _ = Task.Run(() => FlushLoopAsync(generation));
            }
            return txid;
        }
    }

    public Task SyncAsync(long txid, CancellationToken cancellationToken)
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            if (txid <= _durableTxid)
            {
                return Task.CompletedTask;
            }
            if (_failure is not null)
            {
                return Task.FromException(_failure);
            }
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((txid, done));
        }
        return done.Task.WaitAsync(cancellationToken);
    }

    private async Task FlushLoopAsync(long generation)
    {
        // The loop outlives the request that started it: each batch is traced by its own callers.
        Activity.Current = null;
        while (true)
        {
            List<JournalEntry> batch;
            long epoch;
            List<ActivityContext> callers;
            CancellationToken term;
            lock (_gate)
            {
                if (generation != _generation)
                {
                    // A new term started (with its own flush loop): this one belongs to the old term.
                    return;
                }
                term = _term.Token;
                if (_pending.Count == 0 || _failure is not null)
                {
                    _flushing = false;
                    return;
                }
                if (_pending.Count <= options.MaxJournalBatchEntries)
                {
                    batch = _pending;
                    _pending = [];
                }
                else
                {
                    batch = _pending.GetRange(0, options.MaxJournalBatchEntries);
                    _pending.RemoveRange(0, options.MaxJournalBatchEntries);
                }
                epoch = _epoch;
                callers = TakeCallers(batch[^1].Txid);
            }

            DfsException? fatal;
            using var activity = Telemetry.StartJournalAppend(callers, batch[0].Txid, batch[^1].Txid);
            try
            {
                fatal = await AppendWithRetryAsync(epoch, batch, term).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
            {
                fatal = new DfsException(ErrorKind.StandbyNamenode, "the NameNode stopped being active before the metadata service acknowledged the mutation: retry on the active NameNode");
            }

            lock (_gate)
            {
                if (generation != _generation)
                {
                    // A new term started meanwhile: this loop's batch belongs to the old one.
                    return;
                }
                if (fatal is not null)
                {
                    _failure = fatal;
                    foreach (var (_, done) in _waiters)
                    {
                        done.TrySetException(fatal);
                    }
                    _waiters.Clear();
                    _pending.Clear();
                    _flushing = false;
                    return;
                }
                _durableTxid = batch[^1].Txid;
                for (var i = _waiters.Count - 1; i >= 0; i--)
                {
                    if (_waiters[i].Txid <= _durableTxid)
                    {
                        _waiters[i].Done.TrySetResult();
                        _waiters.RemoveAt(i);
                    }
                }
            }
        }
    }

    /// <summary>The trace contexts of the requests whose entries are in a batch ending at <paramref name="lastTxid"/> (under the gate).</summary>
    private List<ActivityContext> TakeCallers(long lastTxid)
    {
        var callers = new List<ActivityContext>();
        foreach (var txid in _traceOfTxid.Keys.Where(t => t <= lastTxid).Order().ToList())
        {
            _traceOfTxid.Remove(txid, out var context);
            if (!callers.Contains(context))
            {
                callers.Add(context);
            }
        }
        return callers;
    }

    /// <summary>Null once durable; the fatal error otherwise.</summary>
    private async Task<DfsException?> AppendWithRetryAsync(long epoch, List<JournalEntry> batch, CancellationToken term)
    {
        var request = new AppendRequest { Epoch = epoch };
        request.Entries.AddRange(batch);
        var backoff = TimeSpan.FromMilliseconds(options.RetryInitialBackoffMs);
        var failing = false;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, term);
        var token = cancel.Token;
        while (true)
        {
            token.ThrowIfCancellationRequested();
            Interlocked.Increment(ref _appendCalls);
            try
            {
                // A deadline turns a hung metadata service into a retry of the same (idempotent) batch.
                var response = await client.AppendAsync(request, deadline: DateTime.UtcNow.AddMilliseconds(options.JournalAppendTimeoutMs),
                    cancellationToken: token).ConfigureAwait(false);
                if (response.LastTxid < batch[^1].Txid)
                {
                    var message = $"the metadata service acknowledged txid {response.LastTxid} for a batch ending at {batch[^1].Txid}";
                    logger.LogCritical("Journal: {Message}; stopping (a restart reloads the namespace)", message);
                    onFatal(message);
                    return new DfsException(ErrorKind.Fenced, message);
                }
                if (failing)
                {
                    logger.LogInformation("Journal: the metadata service accepts appends again (txids {First}..{Last})", batch[0].Txid, batch[^1].Txid);
                }
                return null;
            }
            catch (RpcException e) when (IsFatal(e))
            {
                var kind = DfsErrors.KindOf(e);
                var message = kind == ErrorKind.Fenced
                    ? $"fenced: another NameNode took over (epoch {epoch} is stale): {e.Status.Detail}"
                    : $"the metadata service refused txids {batch[0].Txid}..{batch[^1].Txid}: {e.Status.StatusCode} {e.Status.Detail}";
                logger.LogCritical("Journal: {Message}; stopping this NameNode (a restart reloads the namespace)", message);
                onFatal(message);
                return new DfsException(kind == ErrorKind.Fenced ? ErrorKind.Fenced : ErrorKind.StandbyNamenode, message);
            }
            catch (RpcException e) when (!token.IsCancellationRequested)
            {
                if (!failing)
                {
                    logger.LogWarning("Journal: the metadata service is unreachable ({Status}: {Detail}); retrying txids {First}..{Last} with backoff, mutations wait",
                        e.StatusCode, e.Status.Detail, batch[0].Txid, batch[^1].Txid);
                    failing = true;
                }
                await Task.Delay(backoff, token).ConfigureAwait(false);
                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, options.RetryMaxBackoffMs));
            }
        }
    }

    private static bool IsFatal(RpcException e) =>
        DfsErrors.KindOf(e) == ErrorKind.Fenced
        || e.StatusCode is StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange
            or StatusCode.PermissionDenied or StatusCode.Unimplemented or StatusCode.AlreadyExists;

    public void Dispose()
    {
        // Not disposed: the flush loop may still observe the token.
        _stopping.Cancel();
    }
}
