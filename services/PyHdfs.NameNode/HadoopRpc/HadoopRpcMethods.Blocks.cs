using PyHdfs.NameNode.Security;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Hadoop;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Protocol.Security;

namespace PyHdfs.NameNode.HadoopRpc;

/// <summary>
/// ClientProtocol's block write path over the same <see cref="Namespace.FsNamespace"/> calls as the gRPC service:
/// addBlock, abandonBlock, complete, and the Go client's updateBlockForPipeline after every block.
/// </summary>
internal sealed partial class HadoopRpcMethods
{
    /// <summary>
    /// How long complete waits for the DataNodes to report the last block. Our own client retries a false
    /// answer; Hadoop's Go client reports it as "replication in progress" and gives up, so the wait is here.
    /// </summary>
    private static readonly TimeSpan CompleteWait = TimeSpan.FromSeconds(30);

    private Dictionary<string, Method> Blocks() => new(StringComparer.Ordinal)
    {
        ["addBlock"] = async (request, caller, cancellationToken) =>
        {
            var add = AddBlockRequestProto.Parser.ParseFrom(request);
            EnsureWritable(add.Src);
            var ours = new AddBlockRequest
            {
                Path = add.Src,
                ClientName = add.ClientName,
                FileId = (long)add.FileId,
                Previous = add.Previous is { } previous ? previous.ToBlockRef() : null,
            };
            ours.ExcludedDatanodeIds.AddRange(add.ExcludeNodes.Select(n => n.Id.DatanodeUuid));
            var added = await fs.AddBlockAsync(ours, cancellationToken).ConfigureAwait(false);
            return new AddBlockResponseProto { Block = HadoopLocatedBlocks.From(added.Block.WithToken(blockTokens, BlockAccessMode.Write, caller.User)) };
        },
        ["abandonBlock"] = async (request, _, cancellationToken) =>
        {
            var abandon = AbandonBlockRequestProto.Parser.ParseFrom(request);
            EnsureWritable(abandon.Src);
            await fs.AbandonBlockAsync(new AbandonBlockRequest
            {
                Path = abandon.Src,
                ClientName = abandon.Holder,
                FileId = (long)abandon.FileId,
                Block = abandon.B.ToBlockRef(),
            }, cancellationToken).ConfigureAwait(false);
            return new AbandonBlockResponseProto();
        },
        // The Go client calls it after each finished block, with no failed node and no new stamp: the
        // block stays as written (its length arrives with addBlock's previous or complete's last).
        ["updateBlockForPipeline"] = (request, caller, _) =>
        {
            var update = UpdateBlockForPipelineRequestProto.Parser.ParseFrom(request);
            state.EnsureActive();
            var located = new LocatedBlock { Block = update.Block.ToBlockRef() };
            return Task.FromResult<Google.Protobuf.IMessage>(new UpdateBlockForPipelineResponseProto
            {
                Block = HadoopLocatedBlocks.From(located.WithToken(blockTokens, BlockAccessMode.Write, caller.User)),
            });
        },
        ["complete"] = async (request, _, cancellationToken) =>
        {
            var complete = CompleteRequestProto.Parser.ParseFrom(request);
            EnsureWritable(complete.Src);
            var ours = new CompleteRequest
            {
                Path = complete.Src,
                ClientName = complete.ClientName,
                FileId = (long)complete.FileId,
                Last = complete.Last is { } last ? last.ToBlockRef() : null,
            };
            return new CompleteResponseProto { Result = await CompleteWhenReportedAsync(ours, cancellationToken).ConfigureAwait(false) };
        },
    };

    /// <summary>complete answers false until enough DataNodes reported the last block; ask again until then, within <see cref="CompleteWait"/>.</summary>
    private async Task<bool> CompleteWhenReportedAsync(CompleteRequest request, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + CompleteWait;
        var pause = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            if (await fs.CompleteAsync(request, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
            if (DateTime.UtcNow + pause > deadline)
            {
                return false;
            }
            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 500));
        }
    }
}
