using System.Diagnostics;
using System.Globalization;

namespace PyHdfs.Benchmarks;

/// <summary>
/// CPU time used by the cluster's processes and the benchmark itself (utime + stime from /proc/PID/stat).
/// Unlike a rate, the CPU an operation costs hardly changes when other work shares the machine, so it
/// is the figure to compare between runs on a busy machine.
/// </summary>
public static class CpuTime
{
    /// <summary>Seconds of CPU used so far by the benchmark process and every running process of the cluster.</summary>
    public static double Total(BenchCluster cluster)
    {
        var total = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        foreach (var pid in cluster.ServicePids)
        {
            total += Seconds(pid);
        }
        return total;
    }

    /// <summary>CPU seconds used so far by one process (0 when it is gone).</summary>
    public static double Seconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command (which may hold spaces) start after its closing parenthesis; utime, stime are 14th and 15th.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return ticks / 100.0; // USER_HZ is 100 on Linux
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }
}
