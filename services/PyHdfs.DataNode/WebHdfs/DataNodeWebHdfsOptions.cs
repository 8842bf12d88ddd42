namespace PyHdfs.DataNode.WebHdfs;

/// <summary>Configuration section "WebHdfs" of a DataNode (docs/webhdfs.md).</summary>
public sealed class DataNodeWebHdfsOptions
{
    public const string SectionName = "WebHdfs";

    /// <summary>Hadoop 3's DataNode HTTP port, used by a DataNode started outside the AppHost (see WebHdfsListener).</summary>
    public const int DefaultPort = 9864;

    /// <summary>
    /// The URL this DataNode hands the NameNode for redirects (<c>http://host:port</c>), reachable by WebHDFS clients.
    /// Empty: the <c>webhdfs</c> Kestrel endpoint's URL with <c>DataNode:Host</c> for an any-address host.
    /// </summary>
    public string AdvertisedAddress { get; set; } = "";

    /// <summary>How many users' file-system clients the DataNode keeps (each holds its own NameNode channel and lease renewer).</summary>
    public int MaxUserClients { get; set; } = 64;
}
