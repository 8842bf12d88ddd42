using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PyHdfs.NameNode.Namespace;
using PyHdfs.NameNode.Namespace.Permissions;
using PyHdfs.NameNode.Startup;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Protocol.Paths;
using PyHdfs.Protocol.WebHdfs;
using PyHdfs.ServiceDefaults.WebHdfs;

namespace PyHdfs.NameNode.WebHdfs;

/// <summary>
/// WebHDFS on the NameNode: translation only, like <c>ClientProtocolService</c>. Each op calls the same
/// <see cref="FsNamespace"/> method as its gRPC twin, as the request's user (<c>user.name</c>, or <c>doas</c> when
/// the superuser proxies), so permissions, the journal and the errors are the namespace's. CREATE, APPEND, OPEN and
/// GETFILECHECKSUM are redirects to a DataNode (<see cref="WebHdfsRedirector"/>): no file byte passes through here.
/// </summary>
internal sealed partial class WebHdfsHandler(FsNamespace fs, NameNodeState state, SafeMode safeMode, WebHdfsRedirector redirector,
    IOptions<NameNodeOptions> options, ILogger<WebHdfsHandler> logger)
{
    public Task HandleAsync(HttpContext context)
    {
        return WebHdfsEndpoints.RunAsync(context, logger, async () =>
        {
            var request = WebHdfsRequest.Parse(context);
            var op = WebHdfsOps.Check(request.Method, request.Op);
            // Every op but GETHOMEDIRECTORY needs a valid path; the home directory is asked of "/webhdfs/v1" itself.
            var path = op == "GETHOMEDIRECTORY" ? null : request.Path;
            try
            {
                var caller = CallerOf(request);
                state.EnsureActive();
                await DispatchAsync(context, request, op, path ?? "/", caller).ConfigureAwait(false);
            }
            catch (DfsException e)
            {
                throw WebHdfsException.From(e, path);
            }
        });
    }

    private Task DispatchAsync(HttpContext context, WebHdfsRequest request, string op, string path, Caller caller) => op switch
    {
        "GETFILESTATUS" => GetFileStatusAsync(context, path, caller),
        "LISTSTATUS" => ListStatusAsync(context, path, caller),
        "LISTSTATUS_BATCH" => ListStatusBatchAsync(context, request, path, caller),
        "GETCONTENTSUMMARY" => GetContentSummaryAsync(context, path, caller),
        "GETHOMEDIRECTORY" => WebHdfsResponses.JsonAsync(context, StatusCodes.Status200OK, json => WebHdfsJson.WritePath(json, HomeOf(caller))),
        "GETFILEBLOCKLOCATIONS" => GetFileBlockLocationsAsync(context, request, path, caller),
        "MKDIRS" => MkdirsAsync(context, request, path, caller),
        "RENAME" => RenameAsync(context, request, path, caller),
        "DELETE" => DeleteAsync(context, request, path, caller),
        "SETPERMISSION" => SetPermissionAsync(context, request, path, caller),
        "SETOWNER" => SetOwnerAsync(context, request, path, caller),
        "SETREPLICATION" => SetReplicationAsync(context, request, path, caller),
        "SETTIMES" => SetTimesAsync(context, request, path, caller),
        "TRUNCATE" => redirector.TruncateAsync(context, request, path, caller),
        _ => redirector.RedirectAsync(context, request, op, path, caller),
    };

    /// <summary>Home directories are /user/NAME, as in Hadoop.</summary>
    public static string HomeOf(Caller caller) => "/user/" + caller.User;

    /// <summary>
    /// The user the request names (<c>user.name</c>; none: <see cref="Caller.AnonymousUser"/>), or the <c>doas</c> user when
    /// the named one may act for others: only the superuser may (Hadoop's proxy users, with the superuser as the one proxy).
    /// </summary>
    private Caller CallerOf(WebHdfsRequest request)
    {
        var caller = fs.Identify(request.User);
        if (request.DoAs is not { } doAs || doAs == caller.User)
        {
            return caller;
        }
        return caller.IsSuperUser || !fs.PermissionsEnabled
            ? fs.Identify(doAs)
            : throw WebHdfsException.AccessControl($"User: {caller.User} is not allowed to impersonate {doAs} (only the superuser {options.Value.SuperUser} may)");
    }

    /// <summary>Mutations need the active NameNode out of safe mode (as the gRPC front door).</summary>
    private void EnsureWritable(string path)
    {
        state.EnsureActive();
        safeMode.EnsureWritable(path);
    }

    private static string Destination(WebHdfsRequest request)
    {
        var destination = request.Require("destination");
        return DfsPath.TryNormalize(destination, out var normalized, out var error)
            ? normalized
            : throw WebHdfsException.InvalidPath($"Invalid destination {destination}: {error}");
    }

    private Task GetFileStatusAsync(HttpContext context, string path, Caller caller)
    {
        var status = fs.GetFileInfo(path, caller);
        return WebHdfsResponses.JsonAsync(context, StatusCodes.Status200OK, json => WebHdfsJson.WriteSingleStatus(json, status));
    }

    /// <summary>The whole directory, page by page, in name order; a file lists as itself with an empty pathSuffix.</summary>
    private Task ListStatusAsync(HttpContext context, string path, Caller caller)
    {
        var entries = new List<FileStatus>();
        var page = fs.GetListing(path, null, 0, caller);
        var listedIsFile = page.Self.Type != FileType.Directory;
        entries.AddRange(page.Entries);
        while (page.HasMore && entries.Count > 0)
        {
            page = fs.GetListing(path, entries[^1].Name, 0, caller);
            entries.AddRange(page.Entries);
        }
        return WebHdfsResponses.JsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WritePropertyName("FileStatuses");
            WebHdfsJson.WriteFileStatuses(json, entries, listedIsFile);
            json.WriteEndObject();
        });
    }

    /// <summary>One page after <c>startAfter</c>, and how many entries follow it.</summary>
    private Task ListStatusBatchAsync(HttpContext context, WebHdfsRequest request, string path, Caller caller)
    {
        var page = fs.GetListing(path, request["startafter"], 0, caller);
        var listedIsFile = page.Self.Type != FileType.Directory;
        long remaining = 0;
        var next = page;
        while (next.HasMore && next.Entries.Count > 0)
        {
            next = fs.GetListing(path, next.Entries[^1].Name, options.Value.MaxListingPageSize, caller);
            remaining += next.Entries.Count;
        }
        return WebHdfsResponses.JsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartObject("DirectoryListing");
            json.WriteStartObject("partialListing");
            json.WritePropertyName("FileStatuses");
            WebHdfsJson.WriteFileStatuses(json, page.Entries, listedIsFile);
            json.WriteEndObject();
            json.WriteNumber("remainingEntries", remaining);
            json.WriteEndObject();
            json.WriteEndObject();
        });
    }

    private Task GetContentSummaryAsync(HttpContext context, string path, Caller caller)
    {
        var summary = fs.GetContentSummary(path, caller);
        return WebHdfsResponses.JsonAsync(context, StatusCodes.Status200OK, json => WebHdfsJson.WriteContentSummary(json, summary));
    }

    private Task GetFileBlockLocationsAsync(HttpContext context, WebHdfsRequest request, string path, Caller caller)
    {
        var offset = request.Long("offset") ?? 0;
        var length = request.Long("length") ?? 0;
        var located = fs.GetBlockLocations(path, offset, length, caller);
        return WebHdfsResponses.JsonAsync(context, StatusCodes.Status200OK, json => WebHdfsJson.WriteBlockLocations(json, located, offset, length));
    }

    private async Task MkdirsAsync(HttpContext context, WebHdfsRequest request, string path, Caller caller)
    {
        var permission = request.Permission() ?? 0;
        EnsureWritable(path);
        await fs.MkdirsAsync(path, createParent: true, permission, caller, context.RequestAborted).ConfigureAwait(false);
        await WebHdfsResponses.BooleanAsync(context, true).ConfigureAwait(false);
    }

    /// <summary>Hadoop's rename answers false, not an error, when the source is missing or the destination is taken.</summary>
    private async Task RenameAsync(HttpContext context, WebHdfsRequest request, string path, Caller caller)
    {
        var destination = Destination(request);
        EnsureWritable(path);
        bool renamed;
        try
        {
            await fs.RenameAsync(path, destination, Guid.NewGuid().ToString("N"), context.RequestAborted, caller).ConfigureAwait(false);
            renamed = true;
        }
        catch (DfsException e) when (e.Kind is ErrorKind.FileNotFound or ErrorKind.ParentNotFound or ErrorKind.AlreadyExists
                                         or ErrorKind.MoveIntoSelf or ErrorKind.NotADirectory)
        {
            logger.LogDebug("WebHDFS RENAME {Path} {Destination}: {Reason}", path, destination, e.Message);
            renamed = false;
        }
        await WebHdfsResponses.BooleanAsync(context, renamed).ConfigureAwait(false);
    }

    /// <summary>Deleting a missing path is false; a non-empty directory without recursive=true is 403 PathIsNotEmptyDirectoryException.</summary>
    private async Task DeleteAsync(HttpContext context, WebHdfsRequest request, string path, Caller caller)
    {
        var recursive = request.Bool("recursive", false);
        EnsureWritable(path);
        bool deleted;
        try
        {
            await fs.DeleteAsync(path, recursive, Guid.NewGuid().ToString("N"), context.RequestAborted, caller).ConfigureAwait(false);
            deleted = true;
        }
        catch (DfsException e) when (e.Kind == ErrorKind.FileNotFound)
        {
            deleted = false;
        }
        await WebHdfsResponses.BooleanAsync(context, deleted).ConfigureAwait(false);
    }

    private async Task SetPermissionAsync(HttpContext context, WebHdfsRequest request, string path, Caller caller)
    {
        var permission = request.Permission() ?? FsNamespace.DefaultDirectoryPermission;
        EnsureWritable(path);
        await fs.SetPermissionAsync(path, permission, caller, context.RequestAborted).ConfigureAwait(false);
        WebHdfsResponses.Empty(context);
    }

    private async Task SetOwnerAsync(HttpContext context, WebHdfsRequest request, string path, Caller caller)
    {
        var owner = request["owner"] is { Length: > 0 } o ? o : null;
        var group = request["group"] is { Length: > 0 } g ? g : null;
        if (owner is null && group is null)
        {
            throw WebHdfsException.IllegalArgument($"SETOWNER {path}: both owner and group are empty");
        }
        EnsureWritable(path);
        await fs.SetOwnerAsync(path, owner, group, caller, context.RequestAborted).ConfigureAwait(false);
        WebHdfsResponses.Empty(context);
    }

    /// <summary>modificationtime and accesstime in ms, -1 (the default) leaving one as it is.</summary>
    private async Task SetTimesAsync(HttpContext context, WebHdfsRequest request, string path, Caller caller)
    {
        var mtime = request.Long("modificationtime", -1) ?? -1;
        var atime = request.Long("accesstime", -1) ?? -1;
        EnsureWritable(path);
        await fs.SetTimesAsync(path, mtime, atime, caller, context.RequestAborted).ConfigureAwait(false);
        WebHdfsResponses.Empty(context);
    }

    /// <summary>On a directory Hadoop answers false.</summary>
    private async Task SetReplicationAsync(HttpContext context, WebHdfsRequest request, string path, Caller caller)
    {
        var replication = (int)(request.Long("replication", 1, NameNodeOptions.MaxReplication) ?? options.Value.Replication);
        EnsureWritable(path);
        if (fs.GetFileInfo(path, caller).Type == FileType.Directory)
        {
            await WebHdfsResponses.BooleanAsync(context, false).ConfigureAwait(false);
            return;
        }
        await fs.SetReplicationAsync(path, replication, context.RequestAborted, caller).ConfigureAwait(false);
        fs.RequestReplicationCheck(path);
        await WebHdfsResponses.BooleanAsync(context, true).ConfigureAwait(false);
    }
}
