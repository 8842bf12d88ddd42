using System.Diagnostics;
using PyHdfs.Client.Write;
using PyHdfs.Protocol;

namespace PyHdfs.Client;

/// <summary>Pipeline recovery: a DataNode of the current pipeline failed in the middle of a block.</summary>
public sealed partial class DfsOutputStream
{
    /// <summary>The ids of the DataNodes of the current block's pipeline, in order (empty between blocks).</summary>
    public IReadOnlyList<string> CurrentPipeline => _writer?.Targets.Select(t => t.Id).ToArray() ?? [];

    /// <summary>The id of the block being written, or null between blocks.</summary>
    public long? CurrentBlockId => _writer?.Block.BlockId;

    /// <summary>Bytes of the current block acknowledged by every node of its pipeline.</summary>
    public long AckedBytesInBlock => _writer?.BytesAcked ?? 0;

    /// <summary>Pipelines rebuilt so far in this write.</summary>
    public int PipelineRecoveries { get; private set; }

    /// <summary>Test hook: runs when a block is full, before its last (empty) packet is sent.</summary>
    internal Func<DfsOutputStream, Task>? BeforeBlockEnd { get; set; }

    /// <summary>Waits until <paramref name="bytesInBlock"/> bytes of the current block are acknowledged by the whole pipeline.</summary>
    public async Task WaitForAckedBytesAsync(long bytesInBlock, CancellationToken cancellationToken = default)
    {
        while (AckedBytesInBlock < bytesInBlock)
        {
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Rebuilds the pipeline without the failed node: a new generation stamp from the NameNode, stage RECOVERY
    /// on the survivors (they cut their replica to the bytes every node acknowledged and take the new stamp),
    /// then the unacknowledged packets again. Throws when no node survives or the block failed too often.
    /// </summary>
    private async Task RecoverPipelineAsync(PipelineException failure, CancellationToken cancellationToken)
    {
        var failed = _writer!;
        _writer = null;
        var resume = await failed.DetachAsync().ConfigureAwait(false);
        var original = failed.Targets.Select(t => t.Id).ToArray();
        var nodes = failed.Targets.ToList();
        var oldBlock = failed.Block;
        var block = failed.Block;
        var cause = failure;
        var failures = new List<string>();
        try
        {
            while (true)
            {
                failures.Add(cause.Message);
                var bad = cause.BadNodeId is { } id && nodes.Exists(n => n.Id == id) ? id : nodes[0].Id;
                nodes.RemoveAll(n => n.Id == bad);
                _recoveriesInBlock++;
                if (nodes.Count == 0 || _recoveriesInBlock > MaxRecoveriesPerBlock)
                {
                    throw new DfsIOException(nodes.Count == 0 ? ErrorKind.NotEnoughDatanodes : ErrorKind.Unspecified, Path,
                        $"{Path}: write of block blk_{block.BlockId} failed at offset {resume.AckedBytes} and the pipeline [{string.Join(",", original)}] " +
                        (nodes.Count == 0 ? "has no DataNode left" : $"failed {_recoveriesInBlock} times") + $" ({string.Join("; ", failures)})", failure);
                }
                var located = await _target.UpdateBlockForPipelineAsync(block, cancellationToken).ConfigureAwait(false);
                block = new BlockRef(located.Block) { NumBytes = resume.AckedBytes };
                _accessToken = located.AccessToken.ToByteArray();
                _blockActivity?.AddEvent(new ActivityEvent("pipeline recovery", tags: new ActivityTagsCollection
                {
                    ["pyhdfs.bad_datanode"] = bad,
                    ["pyhdfs.datanodes"] = string.Join(",", nodes.Select(n => n.Id)),
                    ["pyhdfs.generation_stamp"] = block.GenerationStamp,
                }));
                try
                {
                    _writer = await BlockWriter.ResumeAsync(block, nodes.ToArray(), _accessToken,
                        _blockActivity?.Id ?? "", _blockActivity?.TraceStateString ?? "", _settings, resume, cancellationToken).ConfigureAwait(false);
                }
                catch (PipelineException e)
                {
                    cause = e;
                    continue;
                }
                PipelineRecoveries++;
                await _target.UpdatePipelineAsync(oldBlock, block, nodes.Select(n => n.Id).ToArray(), cancellationToken).ConfigureAwait(false);
                MinReplicasWritten = Math.Min(MinReplicasWritten ?? nodes.Count, nodes.Count);
                if (ExpectedReplicas > nodes.Count)
                {
                    DegradedWrite?.Invoke(this, new DfsDegradedWriteEventArgs(Path, block.BlockId, nodes.Count, ExpectedReplicas));
                }
                return;
            }
        }
        catch when (_writer is null)
        {
            foreach (var packet in resume.Packets)
            {
                packet.Dispose();
            }
            throw;
        }
    }
}
