using System.Globalization;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Protocol.Permissions;

namespace PyHdfs.NameNode.StatusPage;

/// <summary>How the pages show sizes, times and modes (invariant culture, UTC).</summary>
internal static class DisplayFormat
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    /// <summary>"1.5 GiB"; bytes below 1 KiB as "512 B".</summary>
    public static string Bytes(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.##} {Units[unit]}");
    }

    public static string Percent(long part, long whole) =>
        whole <= 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{100.0 * part / whole:0.##}%");

    /// <summary>"2025-01-31 12:00:00 UTC", or "-" for 0 (never).</summary>
    public static string Time(long unixMs) =>
        unixMs <= 0 ? "-" : DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>"3 s ago", "5 min ago"...; "-" for 0 (never).</summary>
    public static string Ago(long unixMs, DateTimeOffset now)
    {
        if (unixMs <= 0)
        {
            return "-";
        }
        var age = now - DateTimeOffset.FromUnixTimeMilliseconds(unixMs);
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }
        return age.TotalSeconds < 120 ? string.Create(CultureInfo.InvariantCulture, $"{(long)age.TotalSeconds} s ago")
            : age.TotalMinutes < 120 ? string.Create(CultureInfo.InvariantCulture, $"{(long)age.TotalMinutes} min ago")
            : age.TotalHours < 48 ? string.Create(CultureInfo.InvariantCulture, $"{(long)age.TotalHours} h ago")
            : string.Create(CultureInfo.InvariantCulture, $"{(long)age.TotalDays} d ago");
    }

    /// <summary>"drwxr-xr-x", as ls shows it.</summary>
    public static string Mode(FileStatus status) => FsMode.ToSymbolic(status.Permission, status.Type == FileType.Directory);
}
