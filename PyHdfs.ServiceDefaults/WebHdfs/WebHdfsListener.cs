using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace PyHdfs.ServiceDefaults.WebHdfs;

/// <summary>
/// The WebHDFS port of a NameNode or DataNode started on its own. Under the AppHost every listener is a named Kestrel
/// endpoint (<c>http</c>, <c>grpc</c>, <c>webhdfs</c>) and nothing is added. Started with <c>--urls</c> only (one h2c
/// port), the service gains an HTTP/1.1 endpoint named <c>webhdfs</c> on <c>WebHdfs:Port</c> (the NameNode's default
/// 9870, the DataNode's 9864, as in Hadoop 3; 0 = any free port, -1 = none), bound to <c>WebHdfs:BindAddress</c> or the
/// host of the first <c>--urls</c> address. Kestrel ignores <c>--urls</c> once an endpoint is configured, so the
/// <c>--urls</c> addresses become named endpoints too.
/// </summary>
public static class WebHdfsListener
{
    public const string EndpointName = "webhdfs";

    public const string SectionName = "WebHdfs";

    /// <summary>The Kestrel URL of the WebHDFS endpoint, whoever configured it.</summary>
    public const string UrlKey = "Kestrel:Endpoints:" + EndpointName + ":Url";

    public static void AddStandaloneListener(WebApplicationBuilder builder, int defaultPort)
    {
        var configuration = builder.Configuration;
        if (configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            return;
        }
        var section = configuration.GetSection(SectionName);
        var port = section.GetValue("Port", defaultPort);
        if (port < 0)
        {
            return;
        }
        var urls = (configuration["urls"] is { Length: > 0 } configured ? configured : "http://localhost:5000")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var endpoints = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < urls.Length; i++)
        {
            endpoints[$"Kestrel:Endpoints:urls{i}:Url"] = urls[i];
        }
        var host = section["BindAddress"] is { Length: > 0 } bind ? bind : HostOf(urls[0]);
        endpoints[$"Kestrel:Endpoints:{EndpointName}:Url"] = string.Create(CultureInfo.InvariantCulture, $"http://{host}:{port}");
        endpoints[$"Kestrel:Endpoints:{EndpointName}:Protocols"] = "Http1";
        configuration.AddInMemoryCollection(endpoints);
    }

    /// <summary>The host of a Kestrel URL ("http://+:5000", "http://[::]:0", "http://127.0.0.1:0").</summary>
    private static string HostOf(string url)
    {
        var authority = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var end = authority.StartsWith('[') ? authority.IndexOf(']') + 1 : authority.IndexOf(':');
        var host = end > 0 ? authority[..end] : authority.TrimEnd('/');
        return host is "+" or "*" ? "0.0.0.0" : host;
    }
}
