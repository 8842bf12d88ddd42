using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace PyHdfs.NameNode.WebHdfs;

/// <summary>
/// The WebHDFS port of a NameNode started on its own. Under the AppHost every listener is a named Kestrel
/// endpoint (<c>http</c>, <c>grpc</c>, <c>webhdfs</c>) and nothing is added. Started with <c>--urls</c> only (one h2c
/// port), it gains an HTTP/1.1 endpoint on <see cref="WebHdfsOptions.Port"/>: Kestrel ignores <c>--urls</c> once an
/// endpoint is configured, so the <c>--urls</c> addresses become named endpoints too.
/// </summary>
internal static class WebHdfsListener
{
    public const string EndpointName = "webhdfs";

    public static void AddStandaloneListener(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            return;
        }
        var section = configuration.GetSection(WebHdfsOptions.SectionName);
        var port = section.GetValue(nameof(WebHdfsOptions.Port), WebHdfsOptions.DefaultPort);
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
        var host = section[nameof(WebHdfsOptions.BindAddress)] is { Length: > 0 } bind ? bind : HostOf(urls[0]);
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
