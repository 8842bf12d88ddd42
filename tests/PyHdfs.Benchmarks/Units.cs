namespace PyHdfs.Benchmarks;

public static class Units
{
    public const long KiB = 1024;
    public const long MiB = 1024 * KiB;
    public const long GiB = 1024 * MiB;

    /// <summary>Megabytes (10^6 bytes) per second.</summary>
    public static double MBps(long bytes, TimeSpan elapsed) => bytes / 1e6 / Math.Max(elapsed.TotalSeconds, 1e-9);

    public static double Mebibytes(long bytes) => bytes / (double)MiB;
}
