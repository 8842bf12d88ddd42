using PyHdfs.Protocol;

namespace PyHdfs.NameNode.Placement;

/// <summary>A live DataNode as placement sees it: free space minus bytes already promised to writes in flight.</summary>
internal readonly record struct PlacementCandidate(string Id, DataNodeAddress Address, long RemainingBytes, long ScheduledBytes)
{
    public long FreeBytes => RemainingBytes - ScheduledBytes;
}
