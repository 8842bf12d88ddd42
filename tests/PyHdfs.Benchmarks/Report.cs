using System.Globalization;
using System.Text.Json;

namespace PyHdfs.Benchmarks;

/// <summary>The printed table and the JSON file with the same figures.</summary>
public static class Report
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void PrintTable(Results results, RunInfo info, TextWriter output)
    {
        output.WriteLine($"PyHDFS benchmark ({info.Mode}) {info.Started}; {info.Cores} cores, {info.MemoryGiB:0.0} GiB, kernel {info.Kernel}");
        output.WriteLine($"disk: {info.Disk}; commit {info.GitCommit}");
        var rows = results.Figures.Select(f => new[]
        {
            f.Name, Format(f.Value), f.Unit, f.Bar, f.Met switch { true => "met", false => "MISSED", null => "" },
        }).ToList();
        string[] header = ["figure", "value", "unit", "bar", "met/missed"];
        var widths = Enumerable.Range(0, header.Length).Select(c => rows.Select(r => r[c].Length).Append(header[c].Length).Max()).ToArray();
        output.WriteLine(Row(header, widths));
        output.WriteLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
        {
            output.WriteLine(Row(row, widths));
        }
    }

    public static void WriteJson(Results results, RunInfo info, string path)
    {
        var document = new
        {
            machine = new { cores = info.Cores, memory_gib = Math.Round(info.MemoryGiB, 2), disk = info.Disk, kernel = info.Kernel },
            git_commit = info.GitCommit,
            mode = info.Mode,
            started = info.Started,
            figures = results.Figures.Select(f => new { name = f.Name, value = f.Value, unit = f.Unit, bar = f.Bar, met = f.Met }),
        };
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        File.WriteAllText(path, JsonSerializer.Serialize(document, Indented));
    }

    private static string Format(double value) =>
        Math.Abs(value) >= 100 ? value.ToString("0", CultureInfo.InvariantCulture) : value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Row(string[] cells, int[] widths) =>
        string.Join(" | ", cells.Select((c, i) => i is 1 ? c.PadLeft(widths[i]) : c.PadRight(widths[i])));
}
