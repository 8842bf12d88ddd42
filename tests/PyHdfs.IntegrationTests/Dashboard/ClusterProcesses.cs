using System.Globalization;
using PyHdfs.Testing;

namespace PyHdfs.IntegrationTests.Dashboard;

/// <summary>One process as it was seen: its pid, its start time (so a reused pid is not mistaken for it) and its command line.</summary>
public sealed record SeenProcess(int Pid, long StartTicks, string CommandLine)
{
    public static SeenProcess? TryRead(int pid) =>
        ProcessTree.StartTicks(pid) is { } start && ProcessTree.CommandLine(pid) is { } command ? new SeenProcess(pid, start, command) : null;

    /// <summary>Still the same process, and not a zombie.</summary>
    public bool IsAlive => ProcessTree.IsAlive(Pid) && ProcessTree.StartTicks(Pid) == StartTicks;

    public override string ToString() => $"{Pid} {CommandLine}";
}

/// <summary>
/// Every process of one AppHost's cluster: the AppHost, its descendants, and DCP's API server, which detaches
/// (its parent is init) but names the AppHost it watches (<c>dcp start-apiserver --monitor PID</c>), with all of
/// its descendants (DCP's controllers, the dashboard, redis-server, the services). Found by pid, never by a
/// name, so the clusters of tests running in parallel are not confused.
/// </summary>
public static class ClusterProcesses
{
    public static IReadOnlyList<SeenProcess> Of(int appHostPid)
    {
        var roots = new List<int> { appHostPid };
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && MonitorsAppHost(pid, appHostPid))
            {
                roots.Add(pid);
            }
        }
        return [.. roots.SelectMany(root => ProcessTree.Descendants(root).Prepend(root)).Distinct().Select(SeenProcess.TryRead).OfType<SeenProcess>()];
    }

    private static bool MonitorsAppHost(int pid, int appHostPid)
    {
        var arguments = ProcessTree.CommandLine(pid)?.Split(' ');
        if (arguments is null || !arguments.Any(a => a.EndsWith("dcp", StringComparison.Ordinal)))
        {
            return false;
        }
        var monitor = Array.IndexOf(arguments, "--monitor");
        return monitor >= 0 && monitor + 1 < arguments.Length && arguments[monitor + 1] == appHostPid.ToString(CultureInfo.InvariantCulture);
    }
}
