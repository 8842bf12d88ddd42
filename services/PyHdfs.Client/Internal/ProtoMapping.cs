using PyHdfs.Protocol;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.Client.Internal;

internal static class ProtoMapping
{
    public static DfsFileStatus ToPublic(this FileStatus s) => new(
        s.Path,
        s.Name,
        s.Type == FileType.Directory,
        s.Length,
        s.Replication,
        s.BlockSize,
        DateTimeOffset.FromUnixTimeMilliseconds(s.ModificationTimeMs),
        s.Owner,
        s.Group,
        s.Permission,
        s.ChildrenCount,
        s.BlockCount,
        s.MinLiveReplicas,
        s.FileId,
        DateTimeOffset.FromUnixTimeMilliseconds(s.AccessTimeMs));

    public static DfsDataNode ToPublic(this DataNodeAddress a) => new(a.Id, a.Host, a.DataPort);

    public static DfsLocatedBlock ToPublic(this LocatedBlock b) => new(
        b.Block.BlockId,
        b.Block.GenerationStamp,
        b.Offset,
        b.Block.NumBytes,
        b.Locations.Select(l => l.ToPublic()).ToArray(),
        b.Corrupt);

    public static DfsDataNodeReport ToPublic(this DataNodeReportEntry e)
    {
        var info = e.Info ?? new DataNodeInfo();
        return new DfsDataNodeReport(
            (info.Address ?? new DataNodeAddress()).ToPublic(),
            e.Live,
            info.HttpAddress,
            info.CapacityBytes,
            info.UsedBytes,
            info.RemainingBytes,
            e.BlockCount,
            info.LastHeartbeatUnixMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(info.LastHeartbeatUnixMs) : null);
    }

    public static string Describe(this BlockRef b) => $"blk_{b.BlockId}_{b.GenerationStamp}";
}
