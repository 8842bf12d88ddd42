namespace PyHdfs.Protocol.DataTransfer;

/// <summary>Explicit bounds on everything a peer can make us read or allocate.</summary>
public sealed record TransferLimits
{
    public static readonly TransferLimits Default = new();

    public int MaxHeaderBytes { get; init; } = 64 * 1024;
    public int MaxMessageBytes { get; init; } = 64 * 1024;
    public int MaxPacketDataBytes { get; init; } = 16 * 1024 * 1024;
    public int MinBytesPerChecksum { get; init; } = 512;
    public int MaxBytesPerChecksum { get; init; } = 64 * 1024;
    public int MaxDownstreamNodes { get; init; } = 16;
}
