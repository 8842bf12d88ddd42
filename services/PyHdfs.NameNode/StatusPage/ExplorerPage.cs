using System.Globalization;
using PyHdfs.NameNode.Startup;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Protocol.Paths;

namespace PyHdfs.NameNode.StatusPage;

/// <summary>A rendered page and the HTTP status it goes with.</summary>
internal readonly record struct PageResult(int StatusCode, string Html);

/// <summary>
/// The read-only file browser at <c>/explorer?path=/dir</c>: a directory lists one page of entries
/// (<see cref="NamespaceBrowser.PageSize"/> at most, then a "next" link with <c>startAfter</c>); a
/// file shows its status and its blocks with their locations. Errors render as a message with the
/// status that fits (400 bad input, 403 permission denied, 404 not found, 503 standby).
/// </summary>
internal sealed class ExplorerPage(NamespaceBrowser browser, NameNodeState node)
{
    /// <param name="path">The <c>path</c> parameter; null when absent (then the root).</param>
    public PageResult Render(string? path, string? startAfter, string? limit)
    {
        path ??= "/";
        var body = new HtmlWriter();
        WriteGoTo(body, path);
        int pageSize;
        if (limit is null)
        {
            pageSize = NamespaceBrowser.PageSize;
        }
        else if (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > NamespaceBrowser.PageSize)
        {
            return Error(body, path, 400, $"limit '{limit}' is not a number of entries from 1 to {NamespaceBrowser.PageSize}");
        }
        try
        {
            var normalized = DfsPath.Normalize(path);
            WriteBreadcrumbs(body, normalized);
            var listing = browser.List(normalized, startAfter, pageSize);
            if (listing.Self.Type == FileType.File)
            {
                WriteFile(body, browser.File(normalized));
            }
            else
            {
                WriteDirectory(body, listing, startAfter, limit is null ? null : pageSize);
            }
            return new PageResult(200, Page(path, body));
        }
        catch (DfsException e)
        {
            return Error(body, path, StatusFor(e.Kind), e.Kind == ErrorKind.StandbyNamenode
                ? $"{e.Message}. A standby does not serve the namespace (its copy may lag the journal): browse on the active NameNode's status page."
                : e.Message);
        }
    }

    public static int StatusFor(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidPath or ErrorKind.InvalidArgument => 400,
        ErrorKind.PermissionDenied => 403,
        ErrorKind.FileNotFound or ErrorKind.ParentNotFound or ErrorKind.NotADirectory => 404,
        ErrorKind.StandbyNamenode => 503,
        _ => 500,
    };

    public static string Link(string path, string? startAfter = null, int? limit = null) =>
        "/explorer?path=" + Uri.EscapeDataString(path)
        + (startAfter is null ? "" : "&startAfter=" + Uri.EscapeDataString(startAfter))
        + (limit is null ? "" : "&limit=" + limit.Value.ToString(CultureInfo.InvariantCulture));

    private PageResult Error(HtmlWriter body, string path, int status, string message)
    {
        var kind = status == 403 ? "Permission denied" : status == 404 ? "Not found" : status == 503 ? "Not served here" : status == 400 ? "Bad request" : "Error";
        body.Append($"""<div class="message error" id="error" data-status="{status}"><b>{kind}</b> (HTTP {status}): {message}</div>""");
        return new PageResult(status, Page(path, body));
    }

    private string Page(string path, HtmlWriter body) =>
        StatusPageLayout.Render("Browse: " + path, node.Id, node.RoleName, StatusPageLayout.ExplorerTab, body.ToFragment());

    private static void WriteGoTo(HtmlWriter html, string path) => html.Append($"""
        <form class="goto" method="get" action="/explorer"><label>Path <input type="text" name="path" value="{path}"></label> <button type="submit">Go</button>
        <span> browsing as <b>{NamespaceBrowser.WebUser}</b></span></form>
        """);

    private static void WriteBreadcrumbs(HtmlWriter html, string path)
    {
        html.Append($"""<div class="breadcrumbs" id="breadcrumbs"><a href="{Link("/")}">/</a>""");
        var prefix = "";
        var parts = DfsPath.Split(path);
        for (var i = 0; i < parts.Length; i++)
        {
            prefix += "/" + parts[i];
            html.Append($"""{(i == 0 ? "" : "/")}<a href="{Link(prefix)}">{parts[i]}</a>""");
        }
        html.Append($"</div>");
    }

    private static void WriteDirectory(HtmlWriter html, GetListingResponse listing, string? startAfter, int? limit)
    {
        var self = listing.Self;
        html.Append($"""<p id="listing-summary">Directory <span class="mono">{self.Path}</span>: {self.ChildrenCount} {(self.ChildrenCount == 1 ? "entry" : "entries")}{(startAfter is null ? "" : $", showing those after '{startAfter}'")}.</p>""");
        if (listing.Entries.Count == 0)
        {
            html.Append($"""<p class="message info" id="empty">{(startAfter is null ? "The directory is empty." : "No more entries.")}</p>""");
            return;
        }
        html.Append($"""
            <table id="listing">
            <tr><th>Permission</th><th>Owner</th><th>Group</th><th>Size</th><th>Replication</th><th>Block size</th><th>Last modified</th><th>Name</th></tr>
            """);
        foreach (var entry in listing.Entries)
        {
            var file = entry.Type == FileType.File;
            html.Append($"""
                <tr data-name="{entry.Name}" data-type="{(file ? "file" : "directory")}"><td class="mono">{DisplayFormat.Mode(entry)}</td><td>{entry.Owner}</td><td>{entry.Group}</td>
                <td class="num">{(file ? DisplayFormat.Bytes(entry.Length) : "-")}</td><td class="num">{(file ? entry.Replication.ToString(CultureInfo.InvariantCulture) : "-")}</td>
                <td class="num">{(file ? DisplayFormat.Bytes(entry.BlockSize) : "-")}</td><td>{DisplayFormat.Time(entry.ModificationTimeMs)}</td>
                <td><a href="{Link(entry.Path)}">{entry.Name}{(file ? "" : "/")}</a></td></tr>
                """);
        }
        html.Append($"</table>");
        if (listing.HasMore)
        {
            html.Append($"""<p class="pager"><a id="next" href="{Link(self.Path, listing.Entries[^1].Name, limit)}">Next {limit ?? NamespaceBrowser.PageSize} entries →</a></p>""");
        }
        if (startAfter is not null)
        {
            html.Append($"""<p class="pager"><a id="first" href="{Link(self.Path, limit: limit)}">← First page</a></p>""");
        }
    }

    private static void WriteFile(HtmlWriter html, FileView view)
    {
        var status = view.Status;
        html.Append($"""
            <table class="kv" id="file">
            <tr><th>File</th><td class="mono">{status.Path}</td></tr>
            <tr><th>Permission</th><td class="mono">{DisplayFormat.Mode(status)}</td></tr>
            <tr><th>Owner</th><td>{status.Owner}</td></tr>
            <tr><th>Group</th><td>{status.Group}</td></tr>
            <tr><th>Size</th><td>{DisplayFormat.Bytes(status.Length)} ({status.Length} bytes)</td></tr>
            <tr><th>Replication</th><td>{status.Replication}</td></tr>
            <tr><th>Block size</th><td>{DisplayFormat.Bytes(status.BlockSize)}</td></tr>
            <tr><th>Last modified</th><td>{DisplayFormat.Time(status.ModificationTimeMs)}</td></tr>
            <tr><th>Blocks</th><td>{status.BlockCount}</td></tr>
            </table>
            """);
        if (view.BlocksDenied is { } denied)
        {
            html.Append($"""<div class="message error" id="blocks-denied"><b>Permission denied</b>: the blocks are not shown: {denied}</div>""");
            return;
        }
        html.Append($"""
            <h2>Blocks</h2>
            <table id="blocks">
            <tr><th>#</th><th>Block id</th><th>Generation stamp</th><th>Offset</th><th>Size</th><th>Locations (live DataNodes with a good replica)</th></tr>
            """);
        for (var i = 0; i < view.Blocks.Count; i++)
        {
            var block = view.Blocks[i];
            var locations = string.Join(", ", block.Locations.OrderBy(l => l.Id, StringComparer.Ordinal).Select(l => $"{l.Id} ({l.Host}:{l.DataPort})"));
            html.Append($"""
                <tr data-block-id="{block.Block.BlockId}"><td class="num">{i}</td><td class="mono">blk_{block.Block.BlockId}</td><td class="num">{block.Block.GenerationStamp}</td>
                <td class="num">{block.Offset}</td><td class="num">{DisplayFormat.Bytes(block.Block.NumBytes)}</td>
                <td>{(locations.Length == 0 ? "none: the block is missing" : locations)}{(block.Corrupt ? " (every replica is corrupt)" : "")}</td></tr>
                """);
        }
        html.Append($"</table>");
    }
}
