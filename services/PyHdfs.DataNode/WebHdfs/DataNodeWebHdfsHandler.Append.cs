using PyHdfs.Protocol.WebHdfs;

namespace PyHdfs.DataNode.WebHdfs;

internal sealed partial class DataNodeWebHdfsHandler
{
    /// <summary>POST op=APPEND: the body goes to the end of the file (a new block: HDFS's NEW_BLOCK append).</summary>
    private static Task AppendAsync(HttpContext context, string path, string user)
    {
        _ = context;
        throw WebHdfsException.UnsupportedOperation($"APPEND {path} as {user}: this DataNode cannot append yet");
    }
}
