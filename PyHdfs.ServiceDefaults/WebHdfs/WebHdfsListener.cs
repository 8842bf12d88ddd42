using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace PyHdfs.ServiceDefaults.WebHdfs;

/// <summary>A listener a service adds beside its <c>--urls</c> when started on its own: Kestrel endpoint name, configuration section, default port.</summary>
public sealed record StandaloneListener(string EndpointName, string SectionName, int DefaultPort, string Protocols);

/// <summary>
/// The WebHDFS port of a NameNode or DataNode started on its own. Under the AppHost every listener is a named Kestrel
/// endpoint (<c>http</c>, <c>grpc</c>, <c>webhdfs</c>) and nothing is added. Started with <c>--urls</c> only (one h2c
/// port), the service gains an HTTP/1.1 endpoint named <c>webhdfs</c> on <c>WebHdfs:Port</c> (the NameNode's default
/// 9870, the DataNode's 9864, as in Hadoop 3; 0 = any free port, -1 = none), bound to <c>WebHdfs:BindAddress</c> or the
/// host of the first <c>--urls</c> address; the NameNode adds its Hadoop RPC port (<c>HadoopRpc:Port</c>, 8020) the same
/// way. Kestrel ignores <c>--urls</c> once an endpoint is configured, so the <c>--urls</c> addresses become named
/// endpoints too.
/// </summary>
public static class WebHdfsListener
{
    public const string EndpointName = "webhdfs";

    public const string SectionName = "WebHdfs";

    /// <summary>The Kestrel URL of the WebHDFS endpoint, whoever configured it.</summary>
    public const string UrlKey = "Kestrel:Endpoints:" + EndpointName + ":Url";

    /// <summary>The WebHDFS listener of a service started on its own, on <c>WebHdfs:Port</c> (default <paramref name="defaultPort"/>).</summary>
    public static StandaloneListener Standalone(int defaultPort) => new(EndpointName, SectionName, defaultPort, "Http1");

    /// <summary>
    /// Adds the <paramref name="listeners"/> as named Kestrel endpoints when the service runs on its own (no named
    /// endpoints configured): each on its section's <c>Port</c> (or its default; 0 = any free port, -1 = none),
    /// bound to the section's <c>BindAddress</c> or the host of the first <c>--urls</c> address.
    /// </summary>
    public static void AddStandaloneListeners(WebApplicationBuilder builder, params StandaloneListener[] listeners)
    {
        var configuration = builder.Configuration;
        if (configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            return;
        }
        var urls = (configuration["urls"] is { Length: > 0 } configured ? configured : "http://localhost:5000")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var endpoints = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var listener in listeners)
        {
            var section = configuration.GetSection(listener.SectionName);
            var port = section.GetValue("Port", listener.DefaultPort);
            if (port < 0)
            {
                continue;
            }
            var host = section["BindAddress"] is { Length: > 0 } bind ? bind : HostOf(urls[0]);
            endpoints[$"Kestrel:Endpoints:{listener.EndpointName}:Url"] = string.Create(CultureInfo.InvariantCulture, $"http://{host}:{port}");
            endpoints[$"Kestrel:Endpoints:{listener.EndpointName}:Protocols"] = listener.Protocols;
        }
        if (endpoints.Count == 0)
        {
            return;
        }
        for (var i = 0; i < urls.Length; i++)
        {
            endpoints[$"Kestrel:Endpoints:urls{i}:Url"] = urls[i];
        }
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
