using System.Globalization;

namespace PyHdfs.AppHost.Hosting;

/// <summary>
/// The configuration a child gets, in Aspire's conventions: its URL, its endpoints file, the addresses
/// of what it references (<c>services__NAME__grpc__0</c>, <c>ConnectionStrings__NAME</c>) and telemetry names.
/// </summary>
public static class ChildEnvironment
{
    public const string EndpointsFileKey = "PyHdfs__EndpointsFile";
    public const string ParentPidKey = "PYHDFS_PARENT_PID";
    public const string ClusterSecretKey = "PyHdfs__ClusterSecret";
    public const string TlsEnabledKey = "PyHdfs__Tls__Enabled";

    public static string EndpointsFilePath(string dataDirectory, string name) =>
        Path.Combine(dataDirectory, "run", name + ".endpoints.json");

    public static string LogFilePath(string dataDirectory, string name) =>
        Path.Combine(dataDirectory, "logs", name + ".log");

    /// <param name="addresses">Current address of every running resource, by name.</param>
    public static SortedDictionary<string, string> ForProject(ProjectResource resource, int port, string dataDirectory,
        int parentPid, IReadOnlyDictionary<string, string> addresses, IEnumerable<KeyValuePair<string, string>> serviceSettings,
        string? otlpEndpoint = null, string? clusterSecret = null, TlsFiles? tls = null)
    {
        var environment = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (clusterSecret is not null && resource.HasEndpoint)
        {
            // Services only: a tool such as the demo client is a user, not a cluster member.
            environment[ClusterSecretKey] = clusterSecret;
        }
        foreach (var (key, value) in serviceSettings)
        {
            environment[key] = value;
        }
        foreach (var (key, value) in resource.Environment)
        {
            environment[key] = value;
        }
        foreach (var (key, relativePath) in resource.DataPaths)
        {
            environment[key] = Path.Combine(dataDirectory, relativePath);
        }
        var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var reference in resource.References)
        {
            if (!addresses.TryGetValue(reference.Name, out var address))
            {
                throw new InvalidOperationException($"{resource.Name} references {reference.Name}, which is not running");
            }
            var key = reference switch
            {
                RedisResource => $"ConnectionStrings__{reference.Name}",
                // Several resources of one service name (NameNodes in HA) become services__NAME__grpc__0, __1, ...
                _ => $"services__{reference.ServiceName}__grpc__{Next(indexes, reference.ServiceName).ToString(CultureInfo.InvariantCulture)}",
            };
            environment[key] = address;
        }
        if (tls is not null && resource.HasEndpoint)
        {
            AddTls(environment, tls);
        }
        environment["ASPNETCORE_URLS"] = ProjectAddress(port, tls is not null);
        environment[EndpointsFileKey] = EndpointsFilePath(dataDirectory, resource.Name);
        environment["OTEL_SERVICE_NAME"] = resource.Name;
        if (otlpEndpoint is not null)
        {
            AddTelemetryExport(environment, otlpEndpoint);
        }
        environment[ParentPidKey] = parentPid.ToString(CultureInfo.InvariantCulture);
        return environment;
    }

    /// <summary>
    /// Where and how often to export, as Aspire sets it for its dashboard: OTLP/gRPC to the AppHost's
    /// receiver, batches every second so a trace shows up while the user looks.
    /// </summary>
    public static void AddTelemetryExport(IDictionary<string, string> environment, string otlpEndpoint)
    {
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlpEndpoint;
        environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
        environment["OTEL_BSP_SCHEDULE_DELAY"] = "1000";
        environment["OTEL_BLRP_SCHEDULE_DELAY"] = "1000";
        environment["OTEL_METRIC_EXPORT_INTERVAL"] = "10000";
    }

    /// <summary>
    /// The receiver children export to: the AppHost's own, unless the user points OTLP elsewhere
    /// (then the children inherit the user's variables, as with Aspire).
    /// </summary>
    public static string? OtlpEndpointForChildren(string? receiver, Func<string, string?> environment) =>
        string.IsNullOrWhiteSpace(environment("OTEL_EXPORTER_OTLP_ENDPOINT")) ? receiver : null;

    private static int Next(Dictionary<string, int> indexes, string serviceName)
    {
        var index = indexes.GetValueOrDefault(serviceName);
        indexes[serviceName] = index + 1;
        return index;
    }

    public static string ProjectAddress(int port, bool tls = false) =>
        $"{(tls ? "https" : "http")}://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A service's <c>PyHdfs:Tls</c> (TransportSecurity in ServiceDefaults): its certificate and key, and the CA its peers chain to.</summary>
    public static void AddTls(IDictionary<string, string> environment, TlsFiles tls)
    {
        environment[TlsEnabledKey] = "true";
        environment["PyHdfs__Tls__CertificatePath"] = tls.CertificatePath;
        environment["PyHdfs__Tls__KeyPath"] = tls.KeyPath;
        environment["PyHdfs__Tls__CaPath"] = tls.CaPath;
    }

    public static string RedisAddress(int port) => $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The registry's <c>ConnectionStrings__redis</c>: StackExchange.Redis syntax, with the password.</summary>
    public static string RedisConnectionString(string address, string password) => $"{address},password={password}";

    /// <summary>
    /// redis-server on loopback, with an append-only file so the registry's epoch survives a restart;
    /// no RDB snapshots, which would only slow down its shutdown. The password is in
    /// <paramref name="configFile"/> (mode 0600), never on the command line, where ps would show it.
    /// </summary>
    public static IReadOnlyList<string> RedisArguments(int port, string redisDirectory, string configFile) =>
    [
        configFile,
        "--port", port.ToString(CultureInfo.InvariantCulture),
        "--bind", "127.0.0.1",
        "--dir", redisDirectory,
        "--appendonly", "yes",
        "--save", "",
        "--daemonize", "no",
        "--protected-mode", "yes",
    ];
}
