using System.Globalization;

namespace PyHdfs.Benchmarks;

/// <summary>/proc/loadavg: how busy the (shared) machine was around the run, since other work disturbs the figures.</summary>
public static class LoadAverage
{
    /// <summary>Adds <c>loadavg_1m_WHEN</c> and <c>loadavg_5m_WHEN</c>; nothing where /proc/loadavg does not exist.</summary>
    public static void Record(Results results, string when)
    {
        if (!File.Exists("/proc/loadavg"))
        {
            return;
        }
        var fields = File.ReadAllText("/proc/loadavg").Split(' ');
        results.Add($"loadavg_1m_{when}", double.Parse(fields[0], CultureInfo.InvariantCulture), "load");
        results.Add($"loadavg_5m_{when}", double.Parse(fields[1], CultureInfo.InvariantCulture), "load");
    }
}
