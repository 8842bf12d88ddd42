using System.Text.Json;
using Grpc.Net.Client;
using PyHdfs.Client;
using PyHdfs.Protocol.Security;

namespace PyHdfs.Cli.Infrastructure;

/// <summary>
/// Where the NameNode is: --namenode, else $PYHDFS_NAMENODE, else the cluster file the AppHost writes
/// ($PYHDFS_CLUSTER_FILE, else ~/.pyhdfs/cluster.json: {"namenodes":["http://127.0.0.1:PORT"], ...}).
/// The CA of a TLS cluster: $PYHDFS_TLS_CA, else the cluster file's "tlsCa" when the addresses came from it.
/// </summary>
internal static class NameNodeDiscovery
{
    public const string EnvironmentVariable = "PYHDFS_NAMENODE";
    public const string ClusterFileVariable = "PYHDFS_CLUSTER_FILE";
    public const string TlsCaVariable = DfsClientOptions.TlsCaEnvironmentVariable;

    public static string DefaultClusterFile =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify), ".pyhdfs", "cluster.json");

    public static IReadOnlyList<Uri> Resolve(string? option, Func<string, string?> environment, string? defaultClusterFile = null) =>
        ResolveCluster(option, environment, defaultClusterFile).NameNodes;

    /// <summary>The NameNode addresses and, for a TLS cluster, the CA to trust.</summary>
    public static ClusterFile ResolveCluster(string? option, Func<string, string?> environment, string? defaultClusterFile = null)
    {
        var tlsCa = environment(TlsCaVariable) is { Length: > 0 } ca ? ca : null;
        if (!string.IsNullOrWhiteSpace(option))
        {
            return new ClusterFile(Parse(option, "--namenode"), tlsCa);
        }
        var fromEnvironment = environment(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return new ClusterFile(Parse(fromEnvironment, EnvironmentVariable), tlsCa);
        }
        var file = environment(ClusterFileVariable);
        var explicitFile = !string.IsNullOrWhiteSpace(file);
        var fallback = defaultClusterFile ?? DefaultClusterFile;
        file = explicitFile ? file! : fallback;
        if (File.Exists(file))
        {
            var cluster = ReadClusterFile(file);
            return tlsCa is null ? cluster : cluster with { TlsCaPath = tlsCa };
        }
        if (explicitFile)
        {
            throw new CliException(
                $"no NameNode address: the cluster file {file} (from ${ClusterFileVariable}) does not exist; start the cluster, pass --namenode HOST:PORT or set ${EnvironmentVariable}");
        }
        throw new CliException(
            $"no NameNode address: pass --namenode HOST:PORT, set ${EnvironmentVariable}, or start the cluster with the AppHost (it writes {fallback}; ${ClusterFileVariable} points elsewhere)");
    }

    public static ClusterFile ReadClusterFile(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            using var document = JsonDocument.Parse(stream);
            var root = document.RootElement;
            if (!root.TryGetProperty("namenodes", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            {
                throw new CliException($"the cluster file {file} has no \"namenodes\" list");
            }
            var addresses = list.EnumerateArray().Select(e => NameNodeAddresses.ParseOne(e.GetString() ?? "")).ToArray();
            var tlsCa = root.TryGetProperty("tlsCa", out var ca) && ca.ValueKind == JsonValueKind.String ? ca.GetString() : null;
            return new ClusterFile(addresses, string.IsNullOrEmpty(tlsCa) ? null : tlsCa);
        }
        catch (JsonException e)
        {
            throw new CliException($"the cluster file {file} is not valid JSON: {e.Message}");
        }
        catch (FormatException e)
        {
            throw new CliException($"the cluster file {file}: {e.Message}");
        }
    }

    private static IReadOnlyList<Uri> Parse(string value, string source)
    {
        try
        {
            return NameNodeAddresses.Parse(value);
        }
        catch (FormatException e)
        {
            throw CliException.Usage($"{source}: {e.Message}");
        }
    }
}

/// <param name="TlsCaPath">The cluster CA (PEM) when the cluster runs TLS.</param>
internal sealed record ClusterFile(IReadOnlyList<Uri> NameNodes, string? TlsCaPath = null)
{
    /// <summary>A bare channel to one NameNode (for the admin commands): https, trusting only the cluster CA, when it runs TLS.</summary>
    public GrpcChannel OpenChannel(Uri address)
    {
        if (TlsCaPath is null)
        {
            return GrpcChannel.ForAddress(address);
        }
        var trust = ClusterTrust.LoadCached(TlsCaPath);
        var https = ClusterTrust.ToHttps(address);
        return GrpcChannel.ForAddress(https, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { SslOptions = trust.ClientOptions(targetHost: null, peer: $"the NameNode at {https.Authority}") },
            DisposeHttpClient = true,
        });
    }
}
