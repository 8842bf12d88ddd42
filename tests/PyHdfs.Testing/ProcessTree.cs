using System.Globalization;

namespace PyHdfs.Testing;

/// <summary>Linux process relations read from /proc: a process's descendants, and sending it a signal.</summary>
public static class ProcessTree
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigCont = 18;
    public const int SigStop = 19;

    /// <summary>Every live descendant of <paramref name="pid"/>, children before grandchildren.</summary>
    public static IReadOnlyList<int> Descendants(int pid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var child) && ParentOf(child) is { } parent)
            {
                parents[child] = parent;
            }
        }
        var result = new List<int>();
        var frontier = new Queue<int>([pid]);
        while (frontier.TryDequeue(out var current))
        {
            foreach (var (child, parent) in parents)
            {
                if (parent == current)
                {
                    result.Add(child);
                    frontier.Enqueue(child);
                }
            }
        }
        return result;
    }

    /// <summary>The parent pid from /proc/PID/stat, or null when the process is gone.</summary>
    public static int? ParentOf(int pid) =>
        StatFields(pid) is { } fields && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent) ? parent : null;

    /// <summary>When the process started, in clock ticks since boot (field 22 of /proc/PID/stat): tells a reused pid apart.</summary>
    public static long? StartTicks(int pid) =>
        StatFields(pid) is { Length: > 19 } fields && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;

    /// <summary>
    /// The fields of /proc/PID/stat after the command name ("pid (comm) state ppid ..."; comm may hold spaces and
    /// parentheses, so the split starts after the last ')'): [0] is the state, [1] the parent pid. Null when gone.
    /// </summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The command line of a live process, arguments joined by spaces; null when it is gone.</summary>
    public static string? CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !IsZombie(pid);

    private static bool IsZombie(int pid) => StatFields(pid) is [['Z', ..], ..];

    public static void Signal(int pid, int signal)
    {
        if (Native.Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        }
    }

    private static class Native
    {
        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        [System.Runtime.InteropServices.DefaultDllImportSearchPaths(System.Runtime.InteropServices.DllImportSearchPath.SafeDirectories)]
        public static extern int Kill(int pid, int signal);
    }
}
