using PyHdfs.Protocol.WebHdfs;
using PyHdfs.ServiceDefaults.WebHdfs;

namespace PyHdfs.DataNode.WebHdfs;

internal sealed partial class DataNodeWebHdfsHandler
{
    /// <summary>POST op=APPEND: the body goes to the end of the file (in a new block: HDFS's NEW_BLOCK append); an empty body changes nothing.</summary>
    private async Task AppendAsync(HttpContext context, string path, string user)
    {
        var output = await clients.For(user).AppendAsync(path, context.RequestAborted).ConfigureAwait(false);
        await WriteBodyAsync(context, output).ConfigureAwait(false);
        WebHdfsResponses.Empty(context);
    }

    /// <summary>
    /// POST op=TRUNCATE, asked by the NameNode on behalf of its caller: a cut inside a block rewrites that block's kept
    /// part, DataNode to DataNodes, so the bytes pass through no NameNode. Always done when it answers: {"boolean": true}.
    /// </summary>
    private async Task TruncateAsync(HttpContext context, WebHdfsRequest request, string path, string user)
    {
        var newLength = request.Long("newlength") ?? throw WebHdfsException.IllegalArgument($"TRUNCATE {path}: the newlength parameter is missing");
        await clients.For(user).TruncateAsync(path, newLength, context.RequestAborted).ConfigureAwait(false);
        await WebHdfsResponses.BooleanAsync(context, true).ConfigureAwait(false);
    }
}
