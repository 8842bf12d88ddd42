namespace PyHdfs.Client;

/// <summary>Options of <see cref="DfsClient.CreateAsync"/>. Zero means "the NameNode's default".</summary>
public sealed record DfsCreateOptions
{
    public bool Overwrite { get; init; }
    public bool CreateParent { get; init; } = true;
    public int Replication { get; init; }
    public long BlockSizeBytes { get; init; }
    /// <summary>Unix permission bits, e.g. 0644 (octal); 0 for the default.</summary>
    public uint Permission { get; init; }
}
