using System.Diagnostics;
using System.Text.Json;

namespace PyHdfs.Cli.Infrastructure;

/// <summary>
/// The telemetry entries of the cluster file the AppHost writes: its dashboard (telemetry API) and OTLP
/// receiver, each with this run's key, and the AppHost's pid.
/// </summary>
internal sealed record ClusterTelemetry(string? Dashboard, string? DashboardApiKey, string? Otlp, string? OtlpApiKey, int? AppHostPid)
{
    public static string ClusterFilePath =>
        Environment.GetEnvironmentVariable(NameNodeDiscovery.ClusterFileVariable) is { Length: > 0 } file ? file : NameNodeDiscovery.DefaultClusterFile;

    /// <summary>Null when the file does not exist.</summary>
    /// <exception cref="JsonException">The file is not JSON.</exception>
    public static ClusterTelemetry? Read(string file)
    {
        if (!File.Exists(file))
        {
            return null;
        }
        using var document = JsonDocument.Parse(File.ReadAllText(file));
        var root = document.RootElement;
        string? Text(string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
        int? pid = root.TryGetProperty("appHostPid", out var p) && p.TryGetInt32(out var number) ? number : null;
        return new ClusterTelemetry(Text("dashboard"), Text("dashboardApiKey"), Text("otlp"), Text("otlpApiKey"), pid);
    }

    /// <summary>Whether the AppHost that wrote the file still runs (a file left by a killed AppHost points nowhere).</summary>
    public bool AppHostRuns()
    {
        if (AppHostPid is not { } pid)
        {
            return false;
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public override string ToString() => $"{nameof(ClusterTelemetry)} {{ Dashboard = {Dashboard}, Otlp = {Otlp}, AppHostPid = {AppHostPid} }}";
}
