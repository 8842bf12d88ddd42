using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.Metadata;

namespace PyHdfs.NameNode.Journal;

/// <summary>
/// The pipelined flush loop: up to <see cref="NameNodeOptions.MaxJournalBatchesInFlight"/> batches
/// on one AppendStream, which the metadata service commits in arrival order and answers one by
/// one, so the answers acknowledge the oldest batch in flight. While batch N commits, batch N+1 is
/// already on its way instead of waiting for N's answer. A transport failure (or the oldest batch
/// outliving <see cref="NameNodeOptions.JournalAppendTimeoutMs"/>) opens a new stream and sends every
/// unacknowledged batch again, in order (the service accepts an already-durable range again without
/// effect); a refusal fails that batch and every later one, and ends the term.
/// </summary>
internal sealed partial class JournalWriter
{
    private static readonly TimeSpan IdleStreamLinger = TimeSpan.FromSeconds(1);

    private sealed class InFlight(List<JournalEntry> entries, AppendRequest request, Activity? activity)
    {
        public long FirstTxid { get; } = entries[0].Txid;
        public long LastTxid { get; } = entries[^1].Txid;
        public AppendRequest Request { get; } = request;
        public Activity? Activity { get; } = activity;
        public long SentAt { get; set; }
    }

    private async Task PipelinedFlushLoopAsync(long generation)
    {
        // The loop outlives the request that started it: each batch is traced by its own callers.
        Activity.Current = null;
        var unacknowledged = new Queue<InFlight>();
        var backoff = TimeSpan.FromMilliseconds(options.RetryInitialBackoffMs);
        var failing = false;
        void Answered()
        {
            if (failing)
            {
                logger.LogInformation("Journal: the metadata service accepts appends again");
                failing = false;
                backoff = TimeSpan.FromMilliseconds(options.RetryInitialBackoffMs);
            }
        }
        try
        {
            while (true)
            {
                CancellationToken term;
                lock (_gate)
                {
                    if (generation != _generation)
                    {
                        return;
                    }
                    term = _term.Token;
                }
                using var ending = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, term);
                using var session = CancellationTokenSource.CreateLinkedTokenSource(ending.Token);
                try
                {
                    if (await RunStreamAsync(generation, unacknowledged, session, Answered).ConfigureAwait(false))
                    {
                        return;
                    }
                    throw new RpcException(new Status(StatusCode.Unavailable, "the metadata service ended the append stream early"));
                }
                catch (RpcException e) when (IsFatal(e))
                {
                    var first = unacknowledged.Count > 0 ? unacknowledged.Peek() : null;
                    Fail(generation, Refused(e, first?.Request.Epoch ?? Epoch, first?.FirstTxid ?? 0, first?.LastTxid ?? 0));
                    return;
                }
                catch (FatalAcknowledgement e)
                {
                    Fail(generation, e.Error);
                    return;
                }
                catch (Exception) when (ending.IsCancellationRequested)
                {
                    Fail(generation, StoppedBeingActive());
                    return;
                }
                catch (Exception e)
                {
                    // Anything else is the transport (or the deadline): re-sending is safe, the service accepts a durable range again.
                    if (!failing)
                    {
                        var detail = session.IsCancellationRequested
                            ? $"no answer within {options.JournalAppendTimeoutMs} ms"
                            : e is RpcException r ? $"{r.StatusCode}: {r.Status.Detail}" : e.Message;
                        logger.LogWarning("Journal: the metadata service is unreachable ({Detail}); re-sending {Batches} unacknowledged batches with backoff, mutations wait",
                            detail, unacknowledged.Count);
                        failing = true;
                    }
                }
                try
                {
                    await Task.Delay(backoff, ending.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    Fail(generation, StoppedBeingActive());
                    return;
                }
                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, options.RetryMaxBackoffMs));
            }
        }
        finally
        {
            foreach (var batch in unacknowledged)
            {
                batch.Activity?.Dispose();
            }
            Activity.Current = null;
        }
    }

    /// <summary>
    /// One stream's life: re-sends <paramref name="unacknowledged"/>, then keeps up to K batches in
    /// flight. True when the loop is done (idle, or a new term started); throws on a failure.
    /// </summary>
    private async Task<bool> RunStreamAsync(long generation, Queue<InFlight> unacknowledged, CancellationTokenSource session, Action answered)
    {
        using var call = client.AppendStream(cancellationToken: session.Token);
        foreach (var batch in unacknowledged)
        {
            await SendAsync(call, batch, session.Token).ConfigureAwait(false);
        }
        ArmDeadline(unacknowledged, session);
        var read = call.ResponseStream.MoveNext(session.Token);
        try
        {
            while (true)
            {
                if (!IsCurrent(generation))
                {
                    return true; // a new term started, with its own loop
                }
                while (unacknowledged.Count < options.MaxJournalBatchesInFlight
                    && TryTakeBatch(generation, endWhenEmpty: false, out var entries, out var epoch, out var callers, out _))
                {
                    var activity = Telemetry.StartJournalAppend(callers, entries[0].Txid, entries[^1].Txid);
                    Activity.Current = null;
                    var request = new AppendRequest { Epoch = epoch, Traceparent = activity?.Id ?? "" };
                    request.Entries.AddRange(entries);
                    var batch = new InFlight(entries, request, activity);
                    unacknowledged.Enqueue(batch);
                    await SendAsync(call, batch, session.Token).ConfigureAwait(false);
                    if (unacknowledged.Count == 1)
                    {
                        ArmDeadline(unacknowledged, session);
                    }
                }
                if (unacknowledged.Count == 0)
                {
                    // Linger before closing: opening a stream per mutation would cost a light load more than unary calls did.
                    var wakeWhileIdle = WakeOnAppend(generation);
                    if (await Task.WhenAny(wakeWhileIdle, Task.Delay(IdleStreamLinger, session.Token)).ConfigureAwait(false) == wakeWhileIdle)
                    {
                        continue;
                    }
                    session.Token.ThrowIfCancellationRequested();
                    if (IsIdle(generation))
                    {
                        await CloseAsync(call, read).ConfigureAwait(false);
                        return true;
                    }
                    continue;
                }

                var wake = unacknowledged.Count < options.MaxJournalBatchesInFlight ? WakeOnAppend(generation) : null;
                if (wake is not null && await Task.WhenAny(read, wake).ConfigureAwait(false) != read)
                {
                    continue;
                }
                if (!await read.ConfigureAwait(false))
                {
                    return false;
                }
                var head = unacknowledged.Dequeue();
                head.Activity?.Dispose();
                Activity.Current = null;
                if (call.ResponseStream.Current.LastTxid < head.LastTxid)
                {
                    throw new FatalAcknowledgement(ShortAcknowledgement(call.ResponseStream.Current.LastTxid, head.LastTxid));
                }
                if (!Acknowledge(generation, head.LastTxid))
                {
                    return true;
                }
                answered();
                ArmDeadline(unacknowledged, session);
                read = call.ResponseStream.MoveNext(session.Token);
            }
        }
        catch when (!read.IsCompleted)
        {
            // The stream is abandoned: its pending read fails when the call is disposed, and nobody awaits it.
            _ = read.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw;
        }
    }

    private async Task SendAsync(AsyncDuplexStreamingCall<AppendRequest, AppendResponse> call, InFlight batch, CancellationToken token)
    {
        token.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _appendCalls);
        batch.SentAt = Environment.TickCount64;
        await call.RequestStream.WriteAsync(batch.Request, token).ConfigureAwait(false);
    }

    /// <summary>The per-batch deadline: the oldest batch in flight must be answered within JournalAppendTimeoutMs of being sent.</summary>
    private void ArmDeadline(Queue<InFlight> unacknowledged, CancellationTokenSource session)
    {
        if (unacknowledged.Count == 0)
        {
            session.CancelAfter(Timeout.InfiniteTimeSpan);
            return;
        }
        var left = unacknowledged.Peek().SentAt + options.JournalAppendTimeoutMs - Environment.TickCount64;
        session.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(1, left)));
    }

    private bool IsCurrent(long generation)
    {
        lock (_gate)
        {
            return generation == _generation;
        }
    }

    /// <summary>Completes when something is queued (at once if something already is, or the term changed).</summary>
    private Task WakeOnAppend(long generation)
    {
        lock (_gate)
        {
            if (_pending.Count > 0 || _failure is not null || generation != _generation)
            {
                return Task.CompletedTask;
            }
            _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _wake.Task;
        }
    }

    /// <summary>Nothing in flight: true (and the loop ends) unless something was queued meanwhile.</summary>
    private bool IsIdle(long generation)
    {
        lock (_gate)
        {
            if (generation == _generation && _pending.Count > 0 && _failure is null)
            {
                return false;
            }
            if (generation == _generation)
            {
                _flushing = false;
            }
            return true;
        }
    }

    /// <summary>Ends an idle stream cleanly, so the service sees its end rather than a cancellation.</summary>
    private static async Task CloseAsync(AsyncDuplexStreamingCall<AppendRequest, AppendResponse> call, Task<bool> read)
    {
        try
        {
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            await read.ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException or InvalidOperationException or IOException)
        {
            // Nothing was in flight: whatever ended the stream concerns no mutation.
        }
    }

    private sealed class FatalAcknowledgement(DfsException error) : Exception(error.Message)
    {
        public DfsException Error { get; } = error;
    }
}
