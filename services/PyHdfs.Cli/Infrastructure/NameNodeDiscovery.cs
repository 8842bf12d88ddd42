using System.Text.Json;
using PyHdfs.Client;

namespace PyHdfs.Cli.Infrastructure;

/// <summary>
/// Where the NameNode is: --namenode, else $PYHDFS_NAMENODE, else the cluster file the AppHost writes
/// ($PYHDFS_CLUSTER_FILE, else ~/.pyhdfs/cluster.json: {"namenodes":["http://127.0.0.1:PORT"], ...}).
/// </summary>
internal static class NameNodeDiscovery
{
    public const string EnvironmentVariable = "PYHDFS_NAMENODE";
    public const string ClusterFileVariable = "PYHDFS_CLUSTER_FILE";

    public static string DefaultClusterFile =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify), ".pyhdfs", "cluster.json");

    public static IReadOnlyList<Uri> Resolve(string? option, Func<string, string?> environment, string? defaultClusterFile = null)
    {
        if (!string.IsNullOrWhiteSpace(option))
        {
            return Parse(option, "--namenode");
        }
        var fromEnvironment = environment(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Parse(fromEnvironment, EnvironmentVariable);
        }
        var file = environment(ClusterFileVariable);
        var explicitFile = !string.IsNullOrWhiteSpace(file);
        var fallback = defaultClusterFile ?? DefaultClusterFile;
        file = explicitFile ? file! : fallback;
        if (File.Exists(file))
        {
            return ReadClusterFile(file).NameNodes;
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
            return new ClusterFile(addresses);
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

internal sealed record ClusterFile(IReadOnlyList<Uri> NameNodes);
