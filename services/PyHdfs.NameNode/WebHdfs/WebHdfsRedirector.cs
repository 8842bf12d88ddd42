using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using PyHdfs.NameNode.Namespace;
using PyHdfs.NameNode.Namespace.Permissions;
using PyHdfs.NameNode.Startup;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Protocol.WebHdfs;
using PyHdfs.ServiceDefaults.WebHdfs;

namespace PyHdfs.NameNode.WebHdfs;

/// <summary>
/// CREATE, APPEND, OPEN and GETFILECHECKSUM: checks what the NameNode can check at once (the path, the parameters, that a
/// file exists or may be replaced, read permission), then answers 307 with an absolute Location on a live DataNode's
/// WebHDFS endpoint. Its query carries the literal op, the user, the parameters, this NameNode's address and a token
/// signed with the cluster secret (<see cref="WebHdfsRedirectToken"/>), so that the URL cannot be changed to another
/// path or user. With <c>noredirect=true</c> the answer is 200 <c>{"Location": …}</c> instead.
/// </summary>
internal sealed class WebHdfsRedirector(FsNamespace fs, NameNodeState state, SafeMode safeMode, IOptions<NameNodeOptions> options,
    IOptions<WebHdfsOptions> webHdfsOptions, TimeProvider time, IHttpClientFactory httpClients, WebHdfsRedirectToken? tokens = null)
{
    public const string DataNodeHttpClient = "webhdfs-datanode";

    /// <summary>The parameters copied from the request into the DataNode URL, by op.</summary>
    private static readonly Dictionary<string, string[]> Forwarded = new(StringComparer.Ordinal)
    {
        ["CREATE"] = ["overwrite", "replication", "blocksize", "permission", "buffersize"],
        ["APPEND"] = ["buffersize"],
        ["OPEN"] = ["offset", "length", "buffersize"],
        ["GETFILECHECKSUM"] = [],
    };

    public async Task RedirectAsync(HttpContext context, WebHdfsRequest request, string op, string path, Caller caller)
    {
        WebHdfsRedirectMode mode;
        string? nearBlockOf = null;
        long offset = 0;
        switch (op)
        {
            case "CREATE":
                CheckCreate(request, path, caller);
                mode = WebHdfsRedirectMode.Write;
                break;
            case "APPEND":
                safeMode.EnsureWritable(path);
                RequireFile(path, caller);
                mode = WebHdfsRedirectMode.Write;
                break;
            case "OPEN":
                offset = request.Long("offset") ?? 0;
                request.Long("length");
                var status = fs.GetBlockLocations(path, 0, 1, caller).Status;
                if (offset > status.Length)
                {
                    throw WebHdfsException.IllegalArgument($"OPEN {path}: offset={offset} is beyond the end of the file (length {status.Length})");
                }
                nearBlockOf = path;
                mode = WebHdfsRedirectMode.Read;
                break;
            default:
                fs.GetBlockLocations(path, 0, 1, caller);
                mode = WebHdfsRedirectMode.Read;
                break;
        }
        var forwarded = Forwarded[op].Select(name => (name, request[name] ?? "")).Where(p => p.Item2.Length > 0);
        var location = Location(op, forwarded, path, caller.User, mode, PickDataNode(nearBlockOf, offset, caller));
        if (request.Bool("noredirect", false))
        {
            await WebHdfsResponses.JsonAsync(context, StatusCodes.Status200OK, json =>
            {
                json.WriteStartObject();
                json.WriteString("Location", location);
                json.WriteEndObject();
            }).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
        context.Response.Headers.Location = location;
        context.Response.ContentLength = 0;
    }

    /// <summary>
    /// TRUNCATE is answered by the NameNode, as in Hadoop, but a cut inside a block needs that block's kept bytes
    /// rewritten: the NameNode asks a DataNode (the same signed URL a redirect would carry) to truncate as the caller,
    /// and relays its answer, so no file byte passes through here.
    /// </summary>
    public async Task TruncateAsync(HttpContext context, WebHdfsRequest request, string path, Caller caller)
    {
        var newLength = request.Long("newlength") ?? throw WebHdfsException.IllegalArgument($"TRUNCATE {path}: the newlength parameter is missing");
        using var answer = await TruncateThroughDataNodeAsync(path, newLength, caller, context.RequestAborted).ConfigureAwait(false);
        var body = await answer.Content.ReadAsByteArrayAsync(context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = (int)answer.StatusCode;
        context.Response.ContentType = answer.Content.Headers.ContentType?.ToString() ?? WebHdfsResponses.JsonContentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// Truncates <paramref name="path"/> to <paramref name="newLength"/> as <paramref name="caller"/> through a live DataNode
    /// (WebHDFS TRUNCATE and Hadoop RPC truncate both come here) and returns the DataNode's answer: 200 when done.
    /// </summary>
    public async Task<HttpResponseMessage> TruncateThroughDataNodeAsync(string path, long newLength, Caller caller, CancellationToken cancellationToken)
    {
        safeMode.EnsureWritable(path);
        var status = fs.GetFileInfo(path, caller);
        if (status.Type == FileType.Directory)
        {
            throw WebHdfsException.FileNotFound($"Path is not a file: {path}");
        }
        if (newLength < 0 || newLength > status.Length)
        {
            throw WebHdfsException.IllegalArgument($"TRUNCATE {path}: newlength={newLength} is not within the file ({status.Length} bytes)");
        }
        var url = Location("TRUNCATE", [("newlength", newLength.ToString(System.Globalization.CultureInfo.InvariantCulture))], path, caller.User,
            WebHdfsRedirectMode.Write, PickDataNode(null, 0, caller));
        using var http = httpClients.CreateClient(DataNodeHttpClient);
        return await http.PostAsync(new Uri(url), content: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The parameters must parse; an existing directory, or an existing file without overwrite=true, is refused here already.</summary>
    private void CheckCreate(WebHdfsRequest request, string path, Caller caller)
    {
        var overwrite = request.Bool("overwrite", false);
        request.Long("replication", 1, NameNodeOptions.MaxReplication);
        if (request.Long("blocksize", 1) is { } blockSize && NameNodeOptions.BlockSizeError(blockSize) is { } error)
        {
            throw WebHdfsException.InvalidParameter("blocksize", request["blocksize"]!, error);
        }
        request.Permission();
        safeMode.EnsureWritable(path);
        FileStatus existing;
        try
        {
            existing = fs.GetFileInfo(path, caller);
        }
        catch (DfsException e) when (e.Kind is ErrorKind.FileNotFound or ErrorKind.ParentNotFound)
        {
            return;
        }
        if (existing.Type == FileType.Directory)
        {
            throw WebHdfsException.From(ErrorKind.AlreadyExists, $"{path} already exists as a directory");
        }
        if (!overwrite)
        {
            throw WebHdfsException.From(ErrorKind.AlreadyExists, $"{path} for client {caller.User} already exists (overwrite=true replaces it)");
        }
    }

    private void RequireFile(string path, Caller caller)
    {
        if (fs.GetFileInfo(path, caller).Type == FileType.Directory)
        {
            throw WebHdfsException.FileNotFound($"Path is not a file: {path}");
        }
    }

    /// <summary>For OPEN, a live holder of the block at the offset; otherwise (or when none serves WebHDFS), any live DataNode that does.</summary>
    private string PickDataNode(string? path, long offset, Caller caller)
    {
        var serving = fs.DataNodes.Snapshot()
            .Where(n => n.Live && !string.IsNullOrEmpty(n.Info.WebhdfsAddress))
            .ToDictionary(n => n.Info.Address.Id, n => n.Info.WebhdfsAddress, StringComparer.Ordinal);
        if (serving.Count == 0)
        {
            throw WebHdfsException.IO("Failed to find a DataNode with a WebHDFS endpoint: no live DataNode serves one (check the cluster's health)");
        }
        if (path is not null)
        {
            var located = fs.GetBlockLocations(path, offset, 1, caller);
            foreach (var holder in located.Blocks.SelectMany(b => b.Locations))
            {
                if (serving.TryGetValue(holder.Id, out var near))
                {
                    return near;
                }
            }
        }
        return serving.Values.ElementAt(Random.Shared.Next(serving.Count));
    }

    private string Location(string op, IEnumerable<(string Name, string Value)> parameters, string path, string user, WebHdfsRedirectMode mode, string dataNode)
    {
        var query = new StringBuilder();
        query.Append("?op=").Append(op);
        Append(query, "user.name", user);
        Append(query, "namenoderpcaddress", state.LeaderAddress is { Length: > 0 } leader ? leader : options.Value.AdvertisedAddress);
        foreach (var (name, value) in parameters)
        {
            Append(query, name, value);
        }
        if (tokens is not null)
        {
            var expires = time.GetUtcNow().AddMilliseconds(webHdfsOptions.Value.RedirectTokenLifetimeMs);
            Append(query, WebHdfsRedirectToken.QueryParameter, tokens.Issue(mode, path, user, expires));
        }
        return dataNode.TrimEnd('/') + WebHdfsRequest.Prefix + EscapePath(path) + query;
    }

    private static void Append(StringBuilder query, string name, string value) =>
        query.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value));

    /// <summary>Each component percent-encoded (UTF-8): "/a b/ü" is "/a%20b/%C3%BC".</summary>
    public static string EscapePath(string path) =>
        path == "/" ? "/" : string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
}
