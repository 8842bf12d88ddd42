using Google.Protobuf;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Hadoop;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.NameNode.HadoopRpc;

/// <summary>
/// Our block locations as Hadoop's LocatedBlocksProto. The DataNode's xferPort is our data port (it
/// recognises Hadoop's DataTransferProtocol there), and our block token travels as the TokenProto's
/// identifier, which Hadoop clients pass back unchanged in the op header.
/// </summary>
internal static class HadoopLocatedBlocks
{
    public const string BlockPoolId = "pyhdfs";
    public const string BlockTokenKind = "HDFS_BLOCK_TOKEN";

    public static LocatedBlocksProto From(GetBlockLocationsResponse located)
    {
        var result = new LocatedBlocksProto
        {
            FileLength = (ulong)located.Status.Length,
            UnderConstruction = false,
            IsLastBlockComplete = true,
        };
        result.Blocks.AddRange(located.Blocks.Select(From));
        return result;
    }

    public static LocatedBlockProto From(LocatedBlock block)
    {
        var proto = new LocatedBlockProto
        {
            B = new ExtendedBlockProto
            {
                PoolId = BlockPoolId,
                BlockId = (ulong)block.Block.BlockId,
                GenerationStamp = (ulong)block.Block.GenerationStamp,
                NumBytes = (ulong)block.Block.NumBytes,
            },
            Offset = (ulong)block.Offset,
            Corrupt = block.Corrupt,
            BlockToken = new TokenProto
            {
                Identifier = block.AccessToken,
                Password = ByteString.Empty,
                Kind = block.AccessToken.IsEmpty ? "" : BlockTokenKind,
                Service = "",
            },
        };
        proto.Locs.AddRange(block.Locations.Select(DataNode));
        return proto;
    }

    private static DatanodeInfoProto DataNode(DataNodeAddress address) => new()
    {
        Id = new DatanodeIDProto
        {
            IpAddr = address.Host,
            HostName = address.Host,
            DatanodeUuid = address.Id,
            XferPort = (uint)address.DataPort,
            InfoPort = 0,
            IpcPort = 0,
        },
    };
}
