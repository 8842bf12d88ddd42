using System.Globalization;
using PyHdfs.Client;

namespace PyHdfs.Cli.Output;

/// <summary>"hdfs dfs -ls" lines: permissions, replication, owner, group, size, date, path; columns aligned per batch.</summary>
internal static class ListingFormatter
{
    public static IEnumerable<string> Format(IReadOnlyList<DfsFileStatus> entries, bool human)
    {
        var rows = entries.Select(e => new[]
        {
            Permissions.Symbolic(e.IsDirectory, e.Permission),
            e.IsDirectory ? "-" : e.Replication.ToString(CultureInfo.InvariantCulture),
            e.Owner,
            e.Group,
            Sizes.Format(e.Length, human),
            e.ModificationTime.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            e.Path,
        }).ToArray();
        if (rows.Length == 0)
        {
            yield break;
        }
        var widths = Enumerable.Range(0, 6).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var r in rows)
        {
            yield return $"{r[0]}   {r[1].PadLeft(widths[1])} {r[2].PadRight(widths[2])} {r[3].PadRight(widths[3])} {r[4].PadLeft(widths[4])} {r[5]} {r[6]}";
        }
    }
}
