namespace PyHdfs.AppHost;

/// <summary>How every PyHDFS service is declared: its two endpoints, its health check and its shared configuration.</summary>
public static class PyHdfsServices
{
    /// <summary>HTTP/1.1: <c>/health</c>, <c>/alive</c> and the service's pages (the NameNode's status page).</summary>
    public const string HttpEndpoint = "http";

    /// <summary>gRPC (HTTP/2 only: h2c, or h2 over TLS with --tls): the control plane.</summary>
    public const string GrpcEndpoint = "grpc";

    /// <summary>WebHDFS (HTTP/1.1): <c>/webhdfs/v1</c> on the NameNodes, and the DataNodes' side of its redirects.</summary>
    public const string WebHdfsEndpoint = "webhdfs";

    /// <summary>Hadoop IPC (raw TCP) on the NameNodes: what Hadoop's own clients (`hdfs`, Spark, pyarrow) dial (docs/hadoop.md).</summary>
    public const string HadoopRpcEndpoint = "hdfs";

    /// <summary>The DataNodes' block-transfer TCP port.</summary>
    public const string DataEndpoint = "data";

    /// <summary>Where a local cluster listens: addresses say 127.0.0.1, never a "localhost" that may resolve to ::1 first.</summary>
    public const string Loopback = "127.0.0.1";

    /// <summary>
    /// Ports inside a published service's container, the same in every container: each service is its own host
    /// there (compose service, Kubernetes Service), so nothing collides and the manifests stay readable.
    /// </summary>
    public static class ContainerPorts
    {
        public const int Http = 8080;
        public const int Grpc = 8081;
        public const int Data = 9866;

        /// <summary>Hadoop 3's NameNode and DataNode HTTP ports.</summary>
        public const int NameNodeWebHdfs = 9870;
        public const int DataNodeWebHdfs = 9864;

        /// <summary>The NameNode's Hadoop RPC port by convention (fs.defaultFS=hdfs://host:8020).</summary>
        public const int NameNodeHadoopRpc = 8020;
    }

    /// <summary>Where a published service keeps its state: the mount point of its volume.</summary>
    public const string ContainerDataPath = "/data";

    /// <summary>
    /// A service project with an <c>http</c> and a <c>grpc</c> endpoint, Kestrel told which is which
    /// (<c>Kestrel__Endpoints__NAME__Url/Protocols</c>), Aspire's health check on <c>/health</c>, and the
    /// configuration every service shares: the cluster secret, TLS, and the user's <c>--set</c> settings.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddPyHdfsService<TProject>(this IDistributedApplicationBuilder builder,
        string name, ClusterSettings settings, ClusterSecrets secrets)
        where TProject : IProjectMetadata, new()
    {
        var publishing = builder.ExecutionContext.IsPublishMode;
        var service = builder.AddProject<TProject>(name, options => options.ExcludeLaunchProfile = true)
            .WithEndpoint(HttpEndpoint, e =>
            {
                e.UriScheme = "http";
                e.TargetHost = Loopback;
                e.TargetPort = publishing ? ContainerPorts.Http : e.TargetPort;
            })
            .WithEndpoint(GrpcEndpoint, e =>
            {
                e.TargetHost = Loopback;
                e.UriScheme = secrets.Tls is null ? "http" : "https";
                e.Transport = "http2";
                e.TargetPort = publishing ? ContainerPorts.Grpc : e.TargetPort;
                // Proxyless: a killed service's port refuses connections at once, so HA clients and peers move on
                // at once; behind DCP's proxy the port still accepted them and failover took the clients' timeout
                // (29.6 s instead of about 3 s in FailoverTests). The port stays the service's across restarts.
                e.IsProxied = publishing;
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

    /// <summary>
    /// Kestrel listens on the endpoint's target port with the given protocols: on loopback in a local cluster, on every
    /// interface in a published container (where the port is reached through the container's network).
    /// </summary>
    private static IResourceBuilder<ProjectResource> WithKestrelEndpoint(this IResourceBuilder<ProjectResource> service,
        string endpointName, string protocols)
    {
        var endpoint = service.GetEndpoint(endpointName);
        var host = service.ApplicationBuilder.ExecutionContext.IsPublishMode ? "0.0.0.0" : Loopback;
        return service
            .WithEnvironment($"Kestrel__Endpoints__{endpointName}__Url",
                ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.Scheme)}://{host}:{endpoint.Property(EndpointProperty.TargetPort)}"))
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

    /// <summary>
    /// The DataNode's block-transfer TCP port, given to it as <paramref name="portKey"/>. Not proxied by DCP: the
    /// bytes of every put and get would otherwise be copied once more.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithBlockTransferEndpoint(this IResourceBuilder<ProjectResource> datanode, string portKey)
    {
        var publishing = datanode.ApplicationBuilder.ExecutionContext.IsPublishMode;
        return datanode
            .WithEndpoint(name: DataEndpoint, scheme: "tcp", env: portKey, isProxied: false)
            .WithEndpoint(DataEndpoint, e =>
            {
                e.TargetHost = Loopback;
                e.TargetPort = publishing ? ContainerPorts.Data : e.TargetPort;
            });
    }

    /// <summary>
    /// The <c>webhdfs</c> endpoint (HTTP/1.1, Kestrel told so): on <paramref name="port"/> when given, else on a free port.
    /// Not proxied by DCP, like the data port: a DataNode's bytes are not copied once more, and the URL a DataNode
    /// advertises for redirects (its Kestrel URL) is the one clients reach.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithWebHdfsEndpoint(this IResourceBuilder<ProjectResource> service, int containerPort, int? port = null)
    {
        var publishing = service.ApplicationBuilder.ExecutionContext.IsPublishMode;
        return service
            .WithEndpoint(WebHdfsEndpoint, e =>
            {
                e.UriScheme = "http";
                e.TargetHost = Loopback;
                e.IsProxied = publishing;
                if (publishing)
                {
                    e.TargetPort = containerPort;
                }
                else if (port is { } fixedPort)
                {
                    e.Port = fixedPort;
                    e.TargetPort = fixedPort;
                }
            })
            .WithKestrelEndpoint(WebHdfsEndpoint, "Http1");
    }

    /// <summary>
    /// The <c>hdfs</c> endpoint: Hadoop IPC, raw TCP that the NameNode serves with a Kestrel connection handler (Kestrel
    /// wants an http:// URL for it; no HTTP is spoken there). Not proxied, so a client's address is the NameNode's own.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithHadoopRpcEndpoint(this IResourceBuilder<ProjectResource> namenode)
    {
        var publishing = namenode.ApplicationBuilder.ExecutionContext.IsPublishMode;
        namenode.WithEndpoint(name: HadoopRpcEndpoint, scheme: "tcp", isProxied: publishing)
            .WithEndpoint(HadoopRpcEndpoint, e =>
            {
                e.TargetHost = Loopback;
                if (publishing)
                {
                    e.TargetPort = ContainerPorts.NameNodeHadoopRpc;
                }
            });
        var endpoint = namenode.GetEndpoint(HadoopRpcEndpoint);
        var host = publishing ? "0.0.0.0" : Loopback;
        return namenode.WithEnvironment($"Kestrel__Endpoints__{HadoopRpcEndpoint}__Url",
            ReferenceExpression.Create($"http://{host}:{endpoint.Property(EndpointProperty.TargetPort)}"));
    }

    /// <summary>Sets <paramref name="key"/> only when the user chose a value, so the service keeps its own default otherwise.</summary>
    public static IResourceBuilder<ProjectResource> WithOptionalEnvironment(this IResourceBuilder<ProjectResource> service, string key, long? value) =>
        value is { } v ? service.WithEnvironment(key, v.ToString(System.Globalization.CultureInfo.InvariantCulture)) : service;

    /// <summary>
    /// The resource's own data directory (or <paramref name="fileName"/> in it), given to the service as <paramref name="key"/>.
    /// Run mode: DATA/NAME, created now. Publish mode: /data on a volume of the resource's own (a
    /// <see cref="ContainerMountAnnotation"/>, which the deployment files turn into a compose volume or a Kubernetes
    /// claim); nothing is created on disk.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDataPath(this IResourceBuilder<ProjectResource> service,
        string key, ClusterSettings settings, string? fileName = null)
    {
        var name = service.Resource.Name;
        if (service.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            return service
                .WithAnnotation(new ContainerMountAnnotation($"pyhdfs-{name}-data", ContainerDataPath, ContainerMountType.Volume, isReadOnly: false))
                .WithEnvironment(key, fileName is null ? ContainerDataPath : $"{ContainerDataPath}/{fileName}");
        }
        var directory = Path.Combine(settings.DataDirectory, name);
        Directory.CreateDirectory(directory);
        return service.WithEnvironment(key, fileName is null ? directory : Path.Combine(directory, fileName));
    }

    /// <summary>
    /// Publish mode only: <paramref name="key"/> = a property of the service's own endpoint as its peers reach it (its
    /// compose service or Kubernetes Service name), since an address Kestrel listens on (0.0.0.0) is no address to hand out.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithPublishedAddress(this IResourceBuilder<ProjectResource> service,
        string key, string endpointName, EndpointProperty property) =>
        service.ApplicationBuilder.ExecutionContext.IsPublishMode
            ? service.WithEnvironment(key, service.GetEndpoint(endpointName).Property(property))
            : service;
}
