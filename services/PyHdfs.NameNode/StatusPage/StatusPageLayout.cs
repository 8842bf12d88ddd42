namespace PyHdfs.NameNode.StatusPage;

/// <summary>The frame of every page: title, the NameNode and its role, navigation, and the inline style (no external assets).</summary>
internal static class StatusPageLayout
{
    public const string OverviewTab = "overview";
    public const string ExplorerTab = "explorer";

    public static string Render(string title, string nameNodeId, string role, string activeTab, HtmlFragment body)
    {
        var html = new HtmlWriter();
        html.Append($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} - PyHDFS NameNode {nameNodeId}</title>
            <style>{new HtmlFragment(Css)}</style>
            </head>
            <body>
            <header>
            <span class="brand">PyHDFS</span>
            <span class="node">NameNode <b id="namenode-id">{nameNodeId}</b></span>
            <span id="role" class="role role-{role}">{role}</span>
            <nav>
            <a href="/" class="{(activeTab == OverviewTab ? "active" : "")}">Overview</a>
            <a href="/explorer?path=%2F" class="{(activeTab == ExplorerTab ? "active" : "")}">Browse the file system</a>
            </nav>
            </header>
            <main>
            <h1>{title}</h1>
            {body}
            </main>
            </body>
            </html>
            """);
        return html.ToString();
    }

    // A constant: the raw text of <style>, where character references would not be decoded.
    private const string Css = """
        body { font-family: system-ui, sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; }
        header { display: flex; gap: 1em; align-items: center; padding: .6em 1.2em; background: #24292f; color: #fff; }
        header .brand { font-weight: bold; font-size: 1.2em; }
        header nav { margin-left: auto; display: flex; gap: 1em; }
        header nav a { color: #d0d7de; text-decoration: none; padding: .2em .4em; }
        header nav a.active { color: #fff; border-bottom: 2px solid #fff; }
        .role { padding: .1em .6em; border-radius: 1em; font-size: .9em; text-transform: uppercase; }
        .role-active { background: #1a7f37; }
        .role-standby { background: #9a6700; }
        .role-starting, .role-stopping { background: #6e7781; }
        main { padding: .5em 1.2em 2em; }
        h1 { font-size: 1.4em; }
        h2 { font-size: 1.15em; margin-top: 1.6em; }
        table { border-collapse: collapse; background: #fff; margin: .4em 0; }
        th, td { border: 1px solid #d0d7de; padding: .3em .7em; text-align: left; vertical-align: top; }
        th { background: #eaeef2; }
        table.kv th { width: 16em; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .mono { font-family: ui-monospace, monospace; }
        .message { padding: .7em 1em; border-radius: .4em; margin: .8em 0; max-width: 70em; }
        .error { background: #ffebe9; border: 1px solid #ff8182; }
        .warning { background: #fff8c5; border: 1px solid #d4a72c; }
        .info { background: #ddf4ff; border: 1px solid #54aeff; }
        .ok { color: #1a7f37; font-weight: bold; }
        .bad { color: #cf222e; font-weight: bold; }
        .breadcrumbs { font-family: ui-monospace, monospace; font-size: 1.05em; margin: .6em 0; }
        .breadcrumbs a { text-decoration: none; }
        form.goto input[type=text] { width: 30em; font-family: ui-monospace, monospace; }
        .pager { margin: .6em 0; }
        """;
}
