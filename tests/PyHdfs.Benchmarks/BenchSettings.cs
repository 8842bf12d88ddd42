namespace PyHdfs.Benchmarks;

/// <summary>What one run measures: the full run, or <c>--quick</c> (under two minutes).</summary>
public sealed record BenchSettings(
    bool Quick, string? Output, IReadOnlyList<long> StreamSizes, int SmallFiles, int MetadataOpsPerLevel, int NamespaceFiles,
    IReadOnlySet<string> Phases)
{
    public const string Usage =
        "usage: dotnet run -c Release --project tests/PyHdfs.Benchmarks -- [--quick] [--output FILE] [--only PHASE,...] [--sizes 64m,1g]\n" +
        "  phases: streaming, small, metadata, namespace (the machine baseline always runs)";

    public static readonly IReadOnlyList<string> AllPhases = ["streaming", "small", "metadata", "namespace"];

    public bool Runs(string phase) => Phases.Contains(phase);

    public static BenchSettings? Parse(IReadOnlyList<string> args, out string? error)
    {
        var quick = false;
        string? output = null;
        HashSet<string> phases = [.. AllPhases];
        List<long>? sizes = null;
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
                case "--only" when i + 1 < args.Count:
                    phases = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                    if (phases.FirstOrDefault(p => !AllPhases.Contains(p)) is { } unknown)
                    {
                        error = $"unknown phase: {unknown}";
                        return null;
                    }
                    break;
                case "--sizes" when i + 1 < args.Count:
                    sizes = [];
                    foreach (var text in args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (ParseSize(text) is not { } size)
                        {
                            error = $"bad size: {text} (expected e.g. 64m or 1g)";
                            return null;
                        }
                        sizes.Add(size);
                    }
                    break;
                default:
                    error = $"unknown argument: {args[i]}";
                    return null;
            }
        }
        return quick
            ? new BenchSettings(true, output, sizes ?? [64 * Units.MiB], 500, 640, 50_000, phases)
            : new BenchSettings(false, output, sizes ?? [64 * Units.MiB, Units.GiB], 10_000, 10_000, 1_000_000, phases);
    }

    private static long? ParseSize(string text)
    {
        if (text.Length < 2 || !long.TryParse(text[..^1], out var count) || count <= 0)
        {
            return null;
        }
        return char.ToLowerInvariant(text[^1]) switch
        {
            'm' => count * Units.MiB,
            'g' => count * Units.GiB,
            _ => null,
        };
    }
}
