using System.Text.Json;
using System.Text.Json.Serialization;

namespace PyHdfs.AppHost;

/// <summary>
/// How the pyhdfs CLI finds a running cluster: <c>~/.pyhdfs/cluster.json</c> (or <c>PYHDFS_CLUSTER_FILE</c>).
/// <c>dashboard</c> and <c>dashboardApiKey</c> are how <c>pyhdfs trace</c> reads the dashboard's telemetry API;
/// <c>otlp</c> and <c>otlpApiKey</c> are where <c>put --trace</c> exports the client's spans; <c>tlsCa</c> (only
/// with --tls) is the CA the CLI trusts; <c>webhdfs</c> holds each NameNode's WebHDFS base URL (docs/webhdfs.md), <c>hdfs</c> each NameNode's Hadoop RPC HOST:PORT (docs/hadoop.md). The keys make the file a secret of its user: it is written mode 0600.
/// </summary>
public sealed record ClusterFile(
    [property: JsonPropertyName("namenodes")] IReadOnlyList<string> NameNodes,
    [property: JsonPropertyName("dataDir")] string DataDir,
    [property: JsonPropertyName("appHostPid")] int AppHostPid,
    [property: JsonPropertyName("dashboard")] string? Dashboard = null,
    [property: JsonPropertyName("otlp")] string? Otlp = null,
    [property: JsonPropertyName("tlsCa")] string? TlsCa = null,
    [property: JsonPropertyName("dashboardApiKey")] string? DashboardApiKey = null,
    [property: JsonPropertyName("otlpApiKey")] string? OtlpApiKey = null,
    [property: JsonPropertyName("webhdfs")] IReadOnlyList<string>? WebHdfs = null,
    [property: JsonPropertyName("hdfs")] IReadOnlyList<string>? Hdfs = null)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public void Write(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
        var temp = path + ".tmp";
        File.Delete(temp); // a stale temp file would keep its own (maybe wider) mode
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(stream, this, Indented);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Without the keys, so that an assertion message or a log line does not spread them.</summary>
    public override string ToString() =>
        $"{nameof(ClusterFile)} {{ NameNodes = {string.Join(",", NameNodes)}, DataDir = {DataDir}, AppHostPid = {AppHostPid}, Dashboard = {Dashboard}, Otlp = {Otlp}, WebHdfs = {string.Join(",", WebHdfs ?? [])} }}";

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
