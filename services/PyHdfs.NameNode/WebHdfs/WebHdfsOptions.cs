namespace PyHdfs.NameNode.WebHdfs;

/// <summary>Configuration section "WebHdfs" of the NameNode (docs/webhdfs.md).</summary>
public sealed class WebHdfsOptions
{
    public const string SectionName = "WebHdfs";

    /// <summary>Hadoop 3's NameNode HTTP port; Hadoop 2's was 50070.</summary>
    public const int DefaultPort = 9870;

    /// <summary>
    /// The port of the WebHDFS listener that a NameNode started outside the AppHost (on <c>--urls</c>, without named
    /// Kestrel endpoints) adds beside its gRPC port: 9870 by default, 50070 for Hadoop 2's clients, 0 for any free
    /// port, -1 for none. The AppHost names a <c>webhdfs</c> endpoint instead, and this is not used.
    /// </summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>Where that listener binds; empty: the host of the first <c>--urls</c> address.</summary>
    public string BindAddress { get; set; } = "";

    /// <summary>How long a DataNode URL of a CREATE/APPEND/OPEN redirect stays valid (fsspec keeps POSTing to it for the whole write).</summary>
    public long RedirectTokenLifetimeMs { get; set; } = 30 * 60 * 1000;
}
