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

    public static string EndpointsFilePath(string dataDirectory, string name) =>
        Path.Combine(dataDirectory, "run", name + ".endpoints.json");

    public static string LogFilePath(string dataDirectory, string name) =>
        Path.Combine(dataDirectory, "logs", name + ".log");

    /// <param name="addresses">Current address of every running resource, by name.</param>
    public static SortedDictionary<string, string> ForProject(ProjectResource resource, int port, string dataDirectory,
        int parentPid, IReadOnlyDictionary<string, string> addresses, IEnumerable<KeyValuePair<string, string>> serviceSettings)
    {
        var environment = new SortedDictionary<string, string>(StringComparer.Ordinal);
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
        foreach (var reference in resource.References)
        {
            if (!addresses.TryGetValue(reference.Name, out var address))
            {
                throw new InvalidOperationException($"{resource.Name} references {reference.Name}, which is not running");
            }
            var key = reference switch
            {
                RedisResource => $"ConnectionStrings__{reference.Name}",
                _ => $"services__{reference.Name}__grpc__0",
            };
            environment[key] = address;
        }
        environment["ASPNETCORE_URLS"] = ProjectAddress(port);
        environment[EndpointsFileKey] = EndpointsFilePath(dataDirectory, resource.Name);
        environment["OTEL_SERVICE_NAME"] = resource.Name;
        environment[ParentPidKey] = parentPid.ToString(CultureInfo.InvariantCulture);
        return environment;
    }

    public static string ProjectAddress(int port) => $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";

    public static string RedisAddress(int port) => $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// redis-server on loopback, with an append-only file so the registry's epoch survives a restart;
    /// no RDB snapshots, which would only slow down its shutdown.
    /// </summary>
    public static IReadOnlyList<string> RedisArguments(int port, string redisDirectory) =>
    [
        "--port", port.ToString(CultureInfo.InvariantCulture),
        "--bind", "127.0.0.1",
        "--dir", redisDirectory,
        "--appendonly", "yes",
        "--save", "",
        "--daemonize", "no",
        "--protected-mode", "yes",
    ];
}
