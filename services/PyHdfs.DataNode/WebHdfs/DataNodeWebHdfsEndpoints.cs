using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PyHdfs.Protocol.WebHdfs;
using PyHdfs.ServiceDefaults.WebHdfs;

namespace PyHdfs.DataNode.WebHdfs;

/// <summary>The DataNode's WebHDFS endpoint (<c>/webhdfs/v1</c>), where the NameNode's 307s point.</summary>
internal static class DataNodeWebHdfsEndpoints
{
    public static WebApplicationBuilder AddDataNodeWebHdfs(this WebApplicationBuilder builder)
    {
        WebHdfsListener.AddStandaloneListeners(builder, WebHdfsListener.Standalone(DataNodeWebHdfsOptions.DefaultPort));
        builder.Services.AddOptions<DataNodeWebHdfsOptions>().Bind(builder.Configuration.GetSection(DataNodeWebHdfsOptions.SectionName));
        if (WebHdfsRedirectToken.FromClusterSecret(builder.Configuration[ClusterMembership.ConfigurationKey]) is { } tokens)
        {
            builder.Services.AddSingleton(tokens);
        }
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<WebHdfsUserClients>();
        builder.Services.AddSingleton<DataNodeWebHdfsHandler>();
        return builder;
    }

    public static IApplicationBuilder MapDataNodeWebHdfs(this IApplicationBuilder app) =>
        app.Map(WebHdfsRequest.Prefix, branch => branch.Run(context =>
            context.RequestServices.GetRequiredService<DataNodeWebHdfsHandler>().HandleAsync(context)));

    /// <summary>
    /// The URL redirects point at: <see cref="DataNodeWebHdfsOptions.AdvertisedAddress"/>, else the <c>webhdfs</c> endpoint's
    /// URL with an any-address host replaced by <c>DataNode:Host</c>; empty when there is no such endpoint or its port is 0.
    /// </summary>
    public static string AdvertisedAddress(IConfiguration configuration, IOptions<DataNodeWebHdfsOptions> options, IOptions<DataNodeOptions> dataNode)
    {
        if (options.Value.AdvertisedAddress is { Length: > 0 } configured)
        {
            return configured.TrimEnd('/');
        }
        if (!Uri.TryCreate(configuration[WebHdfsListener.UrlKey], UriKind.Absolute, out var url) || url.Port <= 0)
        {
            return "";
        }
        var host = url.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*" or "localhost" ? dataNode.Value.Host : url.Host;
        return $"{url.Scheme}://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{url.Port}";
    }
}
