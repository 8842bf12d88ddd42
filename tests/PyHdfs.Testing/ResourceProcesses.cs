using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace PyHdfs.Testing;

/// <summary>
/// The OS processes behind Aspire resources. DCP reports the pid it started (<c>executable.pid</c>); for a
/// project that is a <c>dotnet run --no-build</c> wrapper whose child is the service itself.
/// </summary>
public static class ResourceProcesses
{
    private const string PidProperty = "executable.pid";

    /// <summary>The pid DCP started for the resource, while it runs; null otherwise.</summary>
    public static int? StartedPid(DistributedApplication app, string resource)
    {
        if (!app.ResourceNotifications.TryGetCurrentState(resource, out var current)
            || current.Snapshot.State?.Text != KnownResourceStates.Running)
        {
            return null;
        }
        var value = current.Snapshot.Properties.FirstOrDefault(p => p.Name == PidProperty)?.Value;
        return value switch
        {
            int pid => pid,
            long pid => (int)pid,
            string text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) => pid,
            _ => null,
        };
    }

    /// <summary>The resource's own process: the deepest descendant of DCP's wrapper (or the started process itself).</summary>
    public static int? ServicePid(DistributedApplication app, string resource)
    {
        if (StartedPid(app, resource) is not { } started || !ProcessTree.IsAlive(started))
        {
            return null;
        }
        var descendants = ProcessTree.Descendants(started).Where(ProcessTree.IsAlive).ToList();
        return descendants.Count == 0 ? started : descendants[^1];
    }

    /// <summary>SIGKILL to the resource's process and DCP's wrapper of it, as a crash of the machine's process would.</summary>
    public static void Kill(DistributedApplication app, string resource)
    {
        var started = StartedPid(app, resource) ?? throw new InvalidOperationException($"{resource} is not running");
        foreach (var pid in ProcessTree.Descendants(started).Reverse().Append(started))
        {
            if (ProcessTree.IsAlive(pid))
            {
                ProcessTree.Signal(pid, ProcessTree.SigKill);
            }
        }
    }

    /// <summary>SIGSTOP / SIGCONT of the resource's own process (a hung machine, then its return).</summary>
    public static void Signal(DistributedApplication app, string resource, int signal) =>
        ProcessTree.Signal(ServicePid(app, resource) ?? throw new InvalidOperationException($"{resource} is not running"), signal);
}
