namespace PyHdfs.Benchmarks;

/// <summary>What one run measures: the full run, or <c>--quick</c> (under two minutes).</summary>
public sealed record BenchSettings(bool Quick, string? Output, IReadOnlyList<long> StreamSizes, int SmallFiles, int MetadataOpsPerLevel, int NamespaceFiles)
{
    public const string Usage = "usage: dotnet run -c Release --project tests/PyHdfs.Benchmarks -- [--quick] [--output FILE]";

    public static BenchSettings? Parse(IReadOnlyList<string> args, out string? error)
    {
        var quick = false;
        string? output = null;
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--output" when i + 1 < args.Count:
                    output = args[++i];
                    break;
                default:
                    error = $"unknown argument: {args[i]}";
                    return null;
            }
        }
        return quick
            ? new BenchSettings(true, output, [64 * Units.MiB], 500, 640, 50_000)
            : new BenchSettings(false, output, [64 * Units.MiB, Units.GiB], 10_000, 10_000, 1_000_000);
    }
}
