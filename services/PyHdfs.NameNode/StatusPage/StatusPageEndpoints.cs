using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace PyHdfs.NameNode.StatusPage;

/// <summary>The NameNode's status page (docs/namenode-status-page.md): <c>/</c> (overview) and <c>/explorer</c> (file browser).</summary>
internal static class StatusPageEndpoints
{
    // The pages are plain HTML with an inline style: no script, no frame, nothing from elsewhere.
    private const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IServiceCollection AddStatusPage(this IServiceCollection services) => services
        .AddSingleton<NamespaceBrowser>()
        .AddSingleton<OverviewPage>()
        .AddSingleton<ExplorerPage>();

    public static IEndpointRouteBuilder MapStatusPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", async (OverviewPage page, HttpContext context) =>
            Html(context, new PageResult(StatusCodes.Status200OK, await page.RenderAsync(context.RequestAborted))));
        app.MapGet("/explorer", (ExplorerPage page, HttpContext context) =>
        {
            var query = context.Request.Query;
            return Html(context, page.Render(Single(query, "path"), Single(query, "startAfter"), Single(query, "limit")));
        });
        return app;
    }

    /// <summary>The parameter's value; null when absent (a repeated parameter counts as its first value).</summary>
    private static string? Single(IQueryCollection query, string name) => query.TryGetValue(name, out var values) ? values[0] ?? "" : null;

    private static IResult Html(HttpContext context, PageResult page)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";
        return Results.Content(page.Html, "text/html; charset=utf-8", Encoding.UTF8, page.StatusCode);
    }
}
