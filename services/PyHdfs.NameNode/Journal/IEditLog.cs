using PyHdfs.Protocol.Metadata;

namespace PyHdfs.NameNode.Journal;

/// <summary>
/// Where the namespace writes its mutations. <see cref="Append"/> is called under the namespace
/// lock, in the order the mutations are applied to memory, and only queues; <see cref="SyncAsync"/>
/// is awaited outside the lock and completes once every entry up to the txid is durable.
/// </summary>
internal interface IEditLog
{
    /// <summary>The txid of the last appended entry.</summary>
    long LastTxid { get; }

    /// <summary>Assigns the next txid to the op and queues it; returns that txid.</summary>
    long Append(NamespaceOp op);

    Task SyncAsync(long txid, CancellationToken cancellationToken);
}
