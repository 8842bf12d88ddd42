using PyHdfs.Protocol;
using PyHdfs.Protocol.Metadata;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Protocol.Paths;

namespace PyHdfs.NameNode.Namespace;

/// <summary>
/// Pipeline recovery of the block a client is writing: a new generation stamp (journaled at once, so a
/// restarted NameNode never hands it out again; replicas of the old stamp stop counting), then the
/// surviving pipeline that holds the block under it.
/// </summary>
internal sealed partial class FsNamespace
{
    public async Task<LocatedBlock> UpdateBlockForPipelineAsync(UpdateBlockForPipelineRequest request, CancellationToken cancellationToken)
    {
        var path = DfsPath.Normalize(request.Path);
        long txid;
        LocatedBlock located;
        lock (SyncRoot)
        {
            var file = ResolveLeasedFile(path, request.FileId, request.ClientName);
            var last = LastBlockUnderConstruction(path, file, request.Block);
            if (request.Block.GenerationStamp > last.GenerationStamp)
            {
                throw FsErrors.Invalid(path, $"block {last.BlockId} has generation stamp {last.GenerationStamp}, older than the {request.Block.GenerationStamp} named");
            }
            var stamp = ++_lastGenerationStamp;
            // NumBytes 0: the length stays unknown until the block ends (UpdateBlockOp fixes only a positive length).
            txid = Log(new NamespaceOp
            {
                UpdateBlock = new UpdateBlockOp { InodeId = file.Id, Block = new BlockRef { BlockId = last.BlockId, GenerationStamp = stamp } },
            });
            var offset = WriteOffset(file) + file.Blocks.Skip(file.FirstWriteBlock).Take(file.Blocks.Length - file.FirstWriteBlock - 1).Sum(b => b.NumBytes);
            located = new LocatedBlock { Block = last.ToRef(), Offset = offset };
        }
        await SyncAsync(txid, cancellationToken).ConfigureAwait(false);
        return located;
    }

    /// <summary>
    /// Validates the new pipeline and expects the block on its nodes. Nothing is journaled: the stamp was
    /// journaled by <see cref="UpdateBlockForPipelineAsync"/>, and the bytes acknowledged so far are not the
    /// block's final length (fixing it would stop the finished replicas from counting).
    /// </summary>
    public void UpdatePipeline(UpdatePipelineRequest request)
    {
        var path = DfsPath.Normalize(request.Path);
        lock (SyncRoot)
        {
            var file = ResolveLeasedFile(path, request.FileId, request.ClientName);
            if (request.NewBlock is null || request.OldBlock is null || request.NewBlock.BlockId != request.OldBlock.BlockId)
            {
                throw FsErrors.Invalid(path, "UpdatePipeline needs the old and the new reference of the same block");
            }
            var last = LastBlockUnderConstruction(path, file, request.NewBlock);
            if (request.NewBlock.GenerationStamp != last.GenerationStamp || request.OldBlock.GenerationStamp >= last.GenerationStamp)
            {
                throw FsErrors.Invalid(path, $"block {last.BlockId} has generation stamp {last.GenerationStamp}: cannot move it from {request.OldBlock.GenerationStamp} to {request.NewBlock.GenerationStamp}");
            }
            if (request.NewBlock.NumBytes < 0 || request.NewBlock.NumBytes > file.PreferredBlockSize)
            {
                throw FsErrors.Invalid(path, $"block {last.BlockId} cannot hold {request.NewBlock.NumBytes} bytes (block size {file.PreferredBlockSize})");
            }
            if (request.DatanodeIds.Count == 0)
            {
                throw FsErrors.Invalid(path, $"the new pipeline of block {last.BlockId} has no DataNode");
            }
            foreach (var node in request.DatanodeIds)
            {
                _dataNodes.Schedule(node, last.BlockId, file.PreferredBlockSize);
            }
        }
    }

    private static Blocks.BlockInfo LastBlockUnderConstruction(string path, FileInode file, BlockRef? named)
    {
        if (!file.UnderConstruction)
        {
            throw FsErrors.Invalid(path, "the file is not under construction");
        }
        var last = file.LastBlock;
        if (named is null || last is null || last.BlockId != named.BlockId)
        {
            throw FsErrors.Invalid(path, $"block {named?.BlockId ?? 0} is not the last block of the file" + (last is null ? " (it has no blocks)" : $" (the last is {last.BlockId})"));
        }
        if (last.LengthKnown)
        {
            throw FsErrors.Invalid(path, $"block {last.BlockId} is already complete");
        }
        return last;
    }
}
