namespace PyHdfs.AppHost;

/// <summary>How every PyHDFS service is declared: its two endpoints, its health check and its shared configuration.</summary>
public static class PyHdfsServices
{
    /// <summary>HTTP/1.1: <c>/health</c>, <c>/alive</c> and the service's pages (the NameNode's status page).</summary>
    public const string HttpEndpoint = "http";

    /// <summary>gRPC (HTTP/2 only: h2c, or h2 over TLS with --tls): the control plane.</summary>
    public const string GrpcEndpoint = "grpc";

    /// <summary>The DataNodes' block-transfer TCP port.</summary>
    public const string DataEndpoint = "data";

    /// <summary>Where a local cluster listens: addresses say 127.0.0.1, never a "localhost" that may resolve to ::1 first.</summary>
    public const string Loopback = "127.0.0.1";

    /// <summary>
    /// A service project with an <c>http</c> and a <c>grpc</c> endpoint, Kestrel told which is which
    /// (<c>Kestrel__Endpoints__NAME__Url/Protocols</c>), Aspire's health check on <c>/health</c>, and the
    /// configuration every service shares: the cluster secret, TLS, and the user's <c>--set</c> settings.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddPyHdfsService<TProject>(this IDistributedApplicationBuilder builder,
        string name, ClusterSettings settings, ClusterSecrets secrets)
        where TProject : IProjectMetadata, new()
    {
        var service = builder.AddProject<TProject>(name, options => options.ExcludeLaunchProfile = true)
            .WithEndpoint(HttpEndpoint, e =>
            {
                e.UriScheme = "http";
                e.TargetHost = Loopback;
            })
            .WithEndpoint(GrpcEndpoint, e =>
            {
                e.TargetHost = Loopback;
                e.UriScheme = secrets.Tls is null ? "http" : "https";
                e.Transport = "http2";
            })
            .WithHttpHealthCheck("/health", endpointName: HttpEndpoint)
            .WithEnvironment(context =>
            {
                context.EnvironmentVariables["ASPNETCORE_URLS"] = "";
                foreach (var (key, value) in settings.ServiceSettings)
                {
                    context.EnvironmentVariables[key] = value;
                }
            })
            .WithKestrelEndpoint(HttpEndpoint, "Http1")
            .WithKestrelEndpoint(GrpcEndpoint, "Http2")
            .WithEnvironment("PyHdfs__ClusterSecret", secrets.ClusterSecret);
        if (secrets.Tls is { } tls)
        {
            service.WithEnvironment("PyHdfs__Tls__Enabled", "true")
                .WithEnvironment("PyHdfs__Tls__CertificatePath", tls.CertificatePath)
                .WithEnvironment("PyHdfs__Tls__KeyPath", tls.KeyPath)
                .WithEnvironment("PyHdfs__Tls__CaPath", tls.CaPath);
        }
        return service;
    }

    /// <summary>Kestrel listens on the endpoint's target port with the given protocols.</summary>
    private static IResourceBuilder<ProjectResource> WithKestrelEndpoint(this IResourceBuilder<ProjectResource> service,
        string endpointName, string protocols)
    {
        var endpoint = service.GetEndpoint(endpointName);
        return service
            .WithEnvironment($"Kestrel__Endpoints__{endpointName}__Url",
                ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.Scheme)}://127.0.0.1:{endpoint.Property(EndpointProperty.TargetPort)}"))
            .WithEnvironment($"Kestrel__Endpoints__{endpointName}__Protocols", protocols);
    }

    /// <summary>
    /// <c>services__SERVICE__grpc__INDEX</c> = the grpc endpoint of <paramref name="peer"/>: several resources
    /// (the NameNodes of an HA pair) can stand behind one service name, as the services expect.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithPeer(this IResourceBuilder<ProjectResource> service, string serviceName, int index,
        IResourceBuilder<ProjectResource> peer)
    {
        return service
            .WithEnvironment($"services__{serviceName}__{GrpcEndpoint}__{index}", peer.GetEndpoint(GrpcEndpoint))
            .WithReferenceRelationship(peer);
    }

    /// <summary>Sets <paramref name="key"/> only when the user chose a value, so the service keeps its own default otherwise.</summary>
    public static IResourceBuilder<ProjectResource> WithOptionalEnvironment(this IResourceBuilder<ProjectResource> service, string key, long? value) =>
        value is { } v ? service.WithEnvironment(key, v.ToString(System.Globalization.CultureInfo.InvariantCulture)) : service;

    /// <summary>An absolute path below the data directory, created now, given to the service as <paramref name="key"/>.</summary>
    public static IResourceBuilder<ProjectResource> WithDataPath(this IResourceBuilder<ProjectResource> service,
        string key, ClusterSettings settings, string relativePath, bool isDirectory)
    {
        var path = Path.Combine(settings.DataDirectory, relativePath);
        Directory.CreateDirectory(isDirectory ? path : Path.GetDirectoryName(path)!);
        return service.WithEnvironment(key, path);
    }
}
