using System.Threading.Channels;
using PyHdfs.Protocol;

namespace PyHdfs.DataNode.Control;

/// <summary>
/// Incremental block reports waiting to be sent, one queue per NameNode. Producers (the write
/// pipeline, deletions) never block; each NameNode connector drains its queue at once.
/// </summary>
internal sealed class BlockReportHub
{
    private readonly Lock _lock = new();
    private readonly List<ReportQueue> _queues = [];

    public ReportQueue Subscribe()
    {
        var queue = new ReportQueue();
        lock (_lock)
        {
            _queues.Add(queue);
        }
        return queue;
    }

    public void Received(BlockRef block) => Publish(block, deleted: false);

    public void Deleted(BlockRef block) => Publish(block, deleted: true);

    private void Publish(BlockRef block, bool deleted)
    {
        lock (_lock)
        {
            foreach (var queue in _queues)
            {
                queue.Add(block, deleted);
            }
        }
    }
}

internal sealed class ReportQueue
{
    private readonly Lock _lock = new();
    private readonly Channel<byte> _signal = Channel.CreateBounded<byte>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private List<BlockRef> _received = [];
    private List<BlockRef> _deleted = [];

    public void Add(BlockRef block, bool deleted)
    {
        lock (_lock)
        {
            (deleted ? _deleted : _received).Add(block);
        }
        _signal.Writer.TryWrite(0);
    }

    /// <summary>Waits until something is queued or the timeout passes.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_signal.Reader.TryRead(out _))
        {
            return;
        }
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            await _signal.Reader.WaitToReadAsync(timer.Token).ConfigureAwait(false);
            _signal.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }

    public (List<BlockRef> Received, List<BlockRef> Deleted) Take()
    {
        lock (_lock)
        {
            var taken = (_received, _deleted);
            _received = [];
            _deleted = [];
            return taken;
        }
    }

    /// <summary>Puts back a batch that could not be sent, ahead of newer entries.</summary>
    public void Requeue(List<BlockRef> received, List<BlockRef> deleted)
    {
        lock (_lock)
        {
            received.AddRange(_received);
            deleted.AddRange(_deleted);
            _received = received;
            _deleted = deleted;
        }
    }

    /// <summary>A full report supersedes everything queued before it.</summary>
    public void Clear() => Take();

    public bool IsEmpty
    {
        get
        {
            lock (_lock)
            {
                return _received.Count == 0 && _deleted.Count == 0;
            }
        }
    }
}
