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
/// (<see cref="Append"/> runs under the namespace lock) and cut into batches. With
/// <see cref="NameNodeOptions.MaxJournalBatchesInFlight"/> = 1 one unary Append is in flight at a
/// time and whatever was queued meanwhile goes into the next one; above 1 the batches are
/// pipelined on one AppendStream (see JournalWriter.Pipelined.cs), which keeps them in txid order. A waiter is released when the
/// durable txid reaches its own, so an acknowledged mutation implies every earlier one is durable.
/// Transient failures are retried with backoff for as long as it takes (the callers wait);
/// FENCED (or any answer that means the journal and memory disagree) ends the term: every waiter
/// fails, <c>onFatal</c> makes the NameNode step down, and <see cref="Start"/> begins a new term.
/// </summary>
internal sealed partial class JournalWriter(MetadataClient client, NameNodeOptions options, ILogger<JournalWriter> logger, Action<string> onFatal)
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
    private TaskCompletionSource? _wake;

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
            _wake?.TrySetResult();
            if (!_flushing)
            {
                _flushing = true;
                var generation = _generation;
                _ = options.MaxJournalBatchesInFlight > 1
                    ? Task.Run(() => PipelinedFlushLoopAsync(generation))
                    : Task.Run(() => FlushLoopAsync(generation));
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
            if (!TryTakeBatch(generation, endWhenEmpty: true, out var batch, out var epoch, out var callers, out var term))
            {
                return;
            }

            DfsException? fatal;
            using var activity = Telemetry.StartJournalAppend(callers, batch[0].Txid, batch[^1].Txid);
            var started = Stopwatch.GetTimestamp();
            try
            {
                fatal = await AppendWithRetryAsync(epoch, batch, term).ConfigureAwait(false);
                Telemetry.JournalBatchEntries.Record(batch.Count);
                Telemetry.JournalBatchLatency.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (Exception e) when (e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
            {
                fatal = StoppedBeingActive();
            }

            if (fatal is not null)
            {
                Fail(generation, fatal);
                return;
            }
            if (!Acknowledge(generation, batch[^1].Txid))
            {
                return;
            }
        }
    }

    /// <summary>
    /// The next batch to send, under the gate; false when the term changed, failed, or nothing is
    /// queued. With <paramref name="endWhenEmpty"/> the loop then ends (the next <see cref="Append"/>
    /// starts a new one); the pipelined loop instead decides that itself once nothing is in flight.
    /// </summary>
    private bool TryTakeBatch(long generation, bool endWhenEmpty, out List<JournalEntry> batch, out long epoch, out List<ActivityContext> callers,
        out CancellationToken term)
    {
        lock (_gate)
        {
            batch = [];
            epoch = _epoch;
            callers = [];
            term = _term.Token;
            if (generation != _generation)
            {
                // A new term started (with its own flush loop): this one belongs to the old term.
                return false;
            }
            if (_pending.Count == 0 || _failure is not null)
            {
                _flushing &= !endWhenEmpty;
                return false;
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
            callers = TakeCallers(batch[^1].Txid);
            return true;
        }
    }

    /// <summary>Every txid up to <paramref name="lastTxid"/> is durable; false if a new term started meanwhile.</summary>
    private bool Acknowledge(long generation, long lastTxid)
    {
        lock (_gate)
        {
            if (generation != _generation)
            {
                return false;
            }
            _durableTxid = Math.Max(_durableTxid, lastTxid);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Txid <= _durableTxid)
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
            return true;
        }
    }

    /// <summary>Ends the term's writing: every waiter not yet acknowledged fails, and so does every later Append.</summary>
    private void Fail(long generation, DfsException fatal)
    {
        lock (_gate)
        {
            if (generation != _generation)
            {
                return;
            }
            _failure = fatal;
            foreach (var (_, done) in _waiters)
            {
                done.TrySetException(fatal);
            }
            _waiters.Clear();
            _pending.Clear();
            _traceOfTxid.Clear();
            _flushing = false;
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
                    return ShortAcknowledgement(response.LastTxid, batch[^1].Txid);
                }
                if (failing)
                {
                    logger.LogInformation("Journal: the metadata service accepts appends again (txids {First}..{Last})", batch[0].Txid, batch[^1].Txid);
                }
                return null;
            }
            catch (RpcException e) when (IsFatal(e))
            {
                return Refused(e, epoch, batch[0].Txid, batch[^1].Txid);
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

    /// <summary>The metadata service refused a batch: the term ends (the caller fails every waiter).</summary>
    private DfsException Refused(RpcException e, long epoch, long firstTxid, long lastTxid)
    {
        var kind = DfsErrors.KindOf(e);
        var message = kind == ErrorKind.Fenced
            ? $"fenced: another NameNode took over (epoch {epoch} is stale): {e.Status.Detail}"
            : $"the metadata service refused txids {firstTxid}..{lastTxid}: {e.Status.StatusCode} {e.Status.Detail}";
        logger.LogCritical("Journal: {Message}; stopping this NameNode (a restart reloads the namespace)", message);
        onFatal(message);
        return new DfsException(kind == ErrorKind.Fenced ? ErrorKind.Fenced : ErrorKind.StandbyNamenode, message);
    }

    /// <summary>An acknowledgement that does not cover the batch: the journal and memory disagree.</summary>
    private DfsException ShortAcknowledgement(long acknowledged, long lastTxid)
    {
        var message = $"the metadata service acknowledged txid {acknowledged} for a batch ending at {lastTxid}";
        logger.LogCritical("Journal: {Message}; stopping (a restart reloads the namespace)", message);
        onFatal(message);
        return new DfsException(ErrorKind.Fenced, message);
    }

    private static DfsException StoppedBeingActive() => new(ErrorKind.StandbyNamenode,
        "the NameNode stopped being active before the metadata service acknowledged the mutation: retry on the active NameNode");

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
