using System.Text.Json;
using System.Text.Json.Serialization;

namespace PyHdfs.AppHost;

/// <summary>
/// How the pyhdfs CLI finds a running cluster: <c>~/.pyhdfs/cluster.json</c> (or <c>PYHDFS_CLUSTER_FILE</c>); the
/// dashboard URL is how <c>pyhdfs trace</c> finds the AppHost; <c>tlsCa</c> (only with --tls) is the CA the CLI trusts.
/// </summary>
public sealed record ClusterFile(
    [property: JsonPropertyName("namenodes")] IReadOnlyList<string> NameNodes,
    [property: JsonPropertyName("dataDir")] string DataDir,
    [property: JsonPropertyName("appHostPid")] int AppHostPid,
    [property: JsonPropertyName("dashboard")] string? Dashboard = null,
    [property: JsonPropertyName("otlp")] string? Otlp = null,
    [property: JsonPropertyName("tlsCa")] string? TlsCa = null)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public void Write(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, Indented));
        File.Move(temp, path, overwrite: true);
    }

    public static ClusterFile? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<ClusterFile>(File.ReadAllText(path)) : null;
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Deletes the file only if it still describes the cluster of <paramref name="appHostPid"/>.</summary>
    public static void DeleteIfOwned(string path, int appHostPid)
    {
        if (TryRead(path)?.AppHostPid == appHostPid)
        {
            File.Delete(path);
        }
    }
}
