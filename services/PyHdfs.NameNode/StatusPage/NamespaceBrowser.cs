using PyHdfs.NameNode.Namespace;
using PyHdfs.NameNode.Startup;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.NameNode.StatusPage;

/// <summary>
/// The file browser's reads: the same namespace calls, role check and permission checks as
/// ClientProtocol's GetListing / GetFileInfo / GetBlockLocations, made as the static web user
/// <see cref="WebUser"/> (a browser brings no credentials). A standby refuses, as it does for clients.
/// </summary>
internal sealed class NamespaceBrowser(FsNamespace fs, NameNodeState state)
{
    /// <summary>Hadoop's hadoop.http.staticuser.user: who an anonymous web request acts as.</summary>
    public const string WebUser = "dr.who";

    /// <summary>Entries per page unless the request asks for fewer.</summary>
    public const int PageSize = 1000;

    /// <summary>One page of a directory (or the file itself, as GetListing answers for a file).</summary>
    public GetListingResponse List(string path, string? startAfter, int limit)
    {
        state.EnsureActive();
        return fs.GetListing(path, startAfter, Math.Clamp(limit, 1, PageSize), fs.Identify(WebUser));
    }

    /// <summary>A file's status and, when the web user may read it, its blocks; <see cref="FileView.BlocksDenied"/> says why not.</summary>
    public FileView File(string path)
    {
        state.EnsureActive();
        var caller = fs.Identify(WebUser);
        var status = fs.GetFileInfo(path, caller);
        if (status.Type != FileType.File)
        {
            return new FileView(status, [], null);
        }
        try
        {
            // No block tokens: the page shows where blocks are, it hands out no right to read them.
            return new FileView(status, fs.GetBlockLocations(path, 0, 0, caller).Blocks, null);
        }
        catch (DfsException e) when (e.Kind == ErrorKind.PermissionDenied)
        {
            return new FileView(status, [], e.Message);
        }
    }
}

internal sealed record FileView(FileStatus Status, IReadOnlyList<LocatedBlock> Blocks, string? BlocksDenied);
