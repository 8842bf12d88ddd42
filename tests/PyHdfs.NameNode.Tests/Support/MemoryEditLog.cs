using PyHdfs.NameNode.Journal;
using PyHdfs.Protocol.Metadata;

namespace PyHdfs.NameNode.Tests.Support;

/// <summary>An edit log that keeps entries in memory and is durable at once.</summary>
internal sealed class MemoryEditLog : IEditLog
{
    private readonly Lock _lock = new();

    public List<JournalEntry> Entries { get; } = [];

    public long LastTxid { get; private set; }

    public long Append(NamespaceOp op)
    {
        lock (_lock)
        {
            LastTxid++;
            Entries.Add(new JournalEntry { Txid = LastTxid, Epoch = 1, Op = op.Clone() });
            return LastTxid;
        }
    }

    public Task SyncAsync(long txid, CancellationToken cancellationToken) =>
        txid <= LastTxid ? Task.CompletedTask : throw new InvalidOperationException($"txid {txid} was never appended");

    public List<NamespaceOp.OpOneofCase> Kinds() => Entries.Select(e => e.Op.OpCase).ToList();
}
