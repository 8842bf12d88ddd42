using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.WebHdfs;
using PyHdfs.ServiceDefaults.WebHdfs;

namespace PyHdfs.NameNode.WebHdfs;

/// <summary>
/// <c>/webhdfs/v1&lt;path&gt;?op=…</c> on the NameNode's HTTP/1.1 endpoints (the AppHost's <c>webhdfs</c>, and the status
/// page's <c>http</c>, as Hadoop serves both on one port). docs/webhdfs.md lists the ops.
/// </summary>
internal static class WebHdfsEndpoints
{
    public static IServiceCollection AddWebHdfs(this IServiceCollection services)
    {
        services.AddHttpClient(WebHdfsRedirector.DataNodeHttpClient, http => http.Timeout = TimeSpan.FromMinutes(10));
        return services
            .AddSingleton<WebHdfsRedirector>()
            .AddSingleton<WebHdfsHandler>();
    }

    public static IApplicationBuilder MapWebHdfs(this IApplicationBuilder app) =>
        app.Map(WebHdfsRequest.Prefix, branch => branch.Run(context =>
            context.RequestServices.GetRequiredService<WebHdfsHandler>().HandleAsync(context)));

    /// <summary>Every failure as a RemoteException; our typed errors keep their kind, anything else is a 500 IOException.</summary>
    public static async Task RunAsync(HttpContext context, ILogger logger, Func<Task> handle)
    {
        try
        {
            await handle().ConfigureAwait(false);
        }
        catch (WebHdfsException e)
        {
            await WebHdfsResponses.ErrorAsync(context, e).ConfigureAwait(false);
        }
        catch (DfsException e)
        {
            await WebHdfsResponses.ErrorAsync(context, WebHdfsException.From(e)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception e)
        {
            var target = context.Request.Path.ToString();
            logger.LogWarning(e, "WebHDFS {Method} {Path} failed", context.Request.Method, target);
            await WebHdfsResponses.ErrorAsync(context, WebHdfsException.IO($"{target}: {e.Message}")).ConfigureAwait(false);
        }
    }
}
