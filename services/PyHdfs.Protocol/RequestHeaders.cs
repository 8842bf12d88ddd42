namespace PyHdfs.Protocol;

/// <summary>Request headers (gRPC metadata) that the client sends and the NameNode reads.</summary>
public static class RequestHeaders
{
    /// <summary>
    /// The user a request acts as ("simple" identity, as in HDFS: the NameNode believes it and
    /// resolves the groups itself). A missing or blank value is the user "nobody".
    /// </summary>
    public const string User = "pyhdfs-user";
}
