using System.Collections.Concurrent;
using PyHdfs.DataNode.Storage;
using PyHdfs.DataNode.Transfer;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.DataNode.Control;

/// <summary>Carries out the commands in NameNode heartbeat replies: delete replicas, replicate them to other DataNodes.</summary>
internal sealed class CommandExecutor(
    ReplicaStore store,
    BlockReportHub reports,
    ReplicationSender replication,
    IHostApplicationLifetime lifetime,
    ILogger<CommandExecutor> logger)
{
    private readonly ConcurrentDictionary<long, byte> _replicating = new();

    public void Execute(DataNodeCommand command)
    {
        switch (command.CommandCase)
        {
            case DataNodeCommand.CommandOneofCase.Delete:
                Delete(command.Delete);
                break;
            case DataNodeCommand.CommandOneofCase.Replicate:
                Replicate(command.Replicate);
                break;
            default:
                logger.LogWarning("Ignoring unknown NameNode command {Command}", command.CommandCase);
                break;
        }
    }

    private void Delete(DeleteBlocksCommand command)
    {
        foreach (var block in command.Blocks)
        {
            var deleted = store.Delete(block.BlockId, block.GenerationStamp);
            if (deleted is not null)
            {
                logger.LogInformation("Deleted replica blk_{BlockId}_{Stamp} as the NameNode asked", deleted.BlockId, deleted.GenerationStamp);
                reports.Deleted(ReplicaStore.ToBlockRef(deleted));
            }
            else if (store.Get(block.BlockId) is null && block.BlockId > 0)
            {
                // Already gone: say so, so that the NameNode stops asking.
                reports.Deleted(block);
            }
        }
    }

    private void Replicate(ReplicateCommand command)
    {
        if (command.Block is null || command.Targets.Count == 0 || !_replicating.TryAdd(command.Block.BlockId, 0))
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await replication.SendAsync(command, lifetime.ApplicationStopping).ConfigureAwait(false);
            }
            finally
            {
                _replicating.TryRemove(command.Block.BlockId, out _);
            }
        });
    }
}
