using Microsoft.AspNetCore.Http.Features;
using PyHdfs.Client;
using PyHdfs.Protocol.Paths;
using PyHdfs.Protocol.WebHdfs;
using PyHdfs.ServiceDefaults.WebHdfs;

namespace PyHdfs.DataNode.WebHdfs;

/// <summary>
/// The DataNode's half of WebHDFS: the URLs the NameNode redirects to. PUT op=CREATE creates (or, with overwrite=true,
/// replaces) the file from the request body, an empty body making an empty file (fsspec's first step); POST op=APPEND
/// appends the body; GET op=OPEN streams offset/length; GET op=GETFILECHECKSUM computes Hadoop's MD5-of-MD5-of-CRC32.
/// The token must be the NameNode's for this path, user and mode, unexpired. The bytes go through
/// <see cref="DfsClient"/> as the token's user: bodies stream into the replicated write pipeline as they arrive,
/// never buffered whole, and a write that fails or is cut leaves nothing visible (the file is abandoned).
/// </summary>
internal sealed partial class DataNodeWebHdfsHandler(WebHdfsUserClients clients, TimeProvider time, ILogger<DataNodeWebHdfsHandler> logger,
    WebHdfsRedirectToken? tokens = null)
{
    /// <summary>The user of a URL that names none (an open cluster's anonymous caller, as on the NameNode).</summary>
    private const string AnonymousUser = "nobody";

    private const int CopyBufferBytes = 256 * 1024;

    public async Task HandleAsync(HttpContext context)
    {
        string? path = null;
        try
        {
            var request = WebHdfsRequest.Parse(context);
            path = request.Path;
            var user = request.User ?? AnonymousUser;
            switch ((request.Method, request.Op))
            {
                case ("PUT", "CREATE"):
                    Authorize(request, WebHdfsRedirectMode.Write, path, user);
                    await CreateAsync(context, request, path, user).ConfigureAwait(false);
                    break;
                case ("POST", "APPEND"):
                    Authorize(request, WebHdfsRedirectMode.Write, path, user);
                    await AppendAsync(context, path, user).ConfigureAwait(false);
                    break;
                case ("POST", "TRUNCATE"):
                    Authorize(request, WebHdfsRedirectMode.Write, path, user);
                    await TruncateAsync(context, request, path, user).ConfigureAwait(false);
                    break;
                case ("GET", "OPEN"):
                    Authorize(request, WebHdfsRedirectMode.Read, path, user);
                    await OpenAsync(context, request, path, user).ConfigureAwait(false);
                    break;
                case ("GET", "GETFILECHECKSUM"):
                    Authorize(request, WebHdfsRedirectMode.Read, path, user);
                    await ChecksumAsync(context, path, user).ConfigureAwait(false);
                    break;
                default:
                    throw WebHdfsException.IllegalArgument(
                        $"{request.Method} op={request.Op} is not served by a DataNode (CREATE by PUT, APPEND by POST, OPEN and GETFILECHECKSUM by GET); ask the NameNode");
            }
        }
        catch (WebHdfsException e)
        {
            await WebHdfsResponses.ErrorAsync(context, e).ConfigureAwait(false);
        }
        catch (DfsIOException e)
        {
            await WebHdfsResponses.ErrorAsync(context, WebHdfsException.From(e.Kind, e.Message, path)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            logger.LogInformation("WebHDFS {Method} {Path}: the client went away", context.Request.Method, path);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "WebHDFS {Method} {Path} failed", context.Request.Method, path);
            await WebHdfsResponses.ErrorAsync(context, WebHdfsException.IO($"{path}: {e.Message}")).ConfigureAwait(false);
        }
    }

    /// <summary>Without a cluster secret (the open dev mode) no token is issued and none is checked.</summary>
    private void Authorize(WebHdfsRequest request, WebHdfsRedirectMode mode, string path, string user)
    {
        if (tokens?.Verify(request[WebHdfsRedirectToken.QueryParameter], mode, path, user, time.GetUtcNow()) is { } refused)
        {
            throw WebHdfsException.Security($"{request.Op} {path} as {user}: {refused}");
        }
    }

    private async Task CreateAsync(HttpContext context, WebHdfsRequest request, string path, string user)
    {
        var options = new DfsCreateOptions
        {
            Overwrite = request.Bool("overwrite", false),
            CreateParent = true,
            Replication = (int)(request.Long("replication", 1, 32) ?? 0),
            BlockSizeBytes = request.Long("blocksize", 1) ?? 0,
            Permission = request.Permission() ?? 0,
        };
        var output = await clients.For(user).CreateAsync(path, options, context.RequestAborted).ConfigureAwait(false);
        await WriteBodyAsync(context, output).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status201Created;
        if (request["namenoderpcaddress"] is { } nameNode && Uri.TryCreate(nameNode, UriKind.Absolute, out var rpc) && rpc.Port > 0)
        {
            context.Response.Headers.Location = $"hdfs://{rpc.Authority}{EscapePath(path)}";
        }
        context.Response.ContentLength = 0;
    }

    /// <summary>Streams the request body (chunked or with a Content-Length, of any size) into the file, then completes it; any failure abandons it.</summary>
    private static async Task WriteBodyAsync(HttpContext context, DfsOutputStream output)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }
        try
        {
            var buffer = new byte[CopyBufferBytes];
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                await output.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted).ConfigureAwait(false);
            }
            await output.CloseAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch
        {
            await output.AbortAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task OpenAsync(HttpContext context, WebHdfsRequest request, string path, string user)
    {
        var offset = request.Long("offset") ?? 0;
        var length = request.Long("length");
        await using var input = await clients.For(user).OpenAsync(path, context.RequestAborted).ConfigureAwait(false);
        if (offset > input.Length)
        {
            throw WebHdfsException.IllegalArgument($"OPEN {path}: offset={offset} is beyond the end of the file (length {input.Length})");
        }
        var remaining = Math.Min(length ?? long.MaxValue, input.Length - offset);
        input.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[(int)Math.Clamp(remaining, 1, CopyBufferBytes)];
        // The first bytes are read before the status is sent, so that a file no replica can serve is a RemoteException.
        var first = remaining == 0 ? 0 : await input.ReadAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = remaining;
        var read = first;
        while (remaining > 0 && read > 0)
        {
            var chunk = (int)Math.Min(read, remaining);
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, chunk), context.RequestAborted).ConfigureAwait(false);
            remaining -= chunk;
            if (remaining > 0)
            {
                read = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), context.RequestAborted).ConfigureAwait(false);
            }
        }
        if (remaining > 0)
        {
            throw new IOException($"{path}: the file ended {remaining} bytes early");
        }
    }

    public static string EscapePath(string path) =>
        path == "/" ? "/" : string.Join('/', DfsPath.Split(path).Prepend("").Select(Uri.EscapeDataString));
}
