using System.Globalization;

namespace PyHdfs.Benchmarks;

/// <summary>Memory figures of a process from /proc/PID/status (0 when the process is gone).</summary>
public static class ProcStatus
{
    public static long ResidentBytes(int pid) => Read(pid, "VmRSS:");

    public static long PeakResidentBytes(int pid) => Read(pid, "VmHWM:");

    /// <summary>Polls VmHWM until <paramref name="exited"/> completes; returns the highest value seen.</summary>
    public static async Task<long> TrackPeakAsync(int pid, Task exited)
    {
        long peak = 0;
        while (true)
        {
            peak = Math.Max(peak, PeakResidentBytes(pid));
            if (exited.IsCompleted)
            {
                return peak;
            }
            await Task.WhenAny(exited, Task.Delay(20));
        }
    }

    private static long Read(int pid, string key)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    var kilobytes = line[key.Length..].Trim().Split(' ')[0];
                    return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process is gone.
        }
        return 0;
    }
}
