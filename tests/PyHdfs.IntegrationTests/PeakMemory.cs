using System.Globalization;

namespace PyHdfs.IntegrationTests;

/// <summary>A process's peak resident set size (VmHWM in /proc/PID/status), polled until it exits.</summary>
public static class PeakMemory
{
    public static async Task<long> TrackAsync(int pid, Task exited)
    {
        long peak = 0;
        while (true)
        {
            peak = Math.Max(peak, ReadHighWaterMark(pid));
            if (exited.IsCompleted)
            {
                return peak;
            }
            await Task.WhenAny(exited, Task.Delay(20));
        }
    }

    public static long ReadHighWaterMark(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kilobytes = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process is gone (or a zombie without memory figures).
        }
        return 0;
    }
}
