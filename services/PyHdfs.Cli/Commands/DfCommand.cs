using System.CommandLine;
using System.Globalization;
using PyHdfs.Cli.Infrastructure;
using PyHdfs.Cli.Output;

namespace PyHdfs.Cli.Commands;

internal static class DfCommand
{
    public static Command Create()
    {
        var command = CommandBuilder.Create("df", "Show the capacity, used and available space of the whole file system, and the DataNode count.",
            "pyhdfs df -h");
        var human = CommandBuilder.Flag("--human", "-h", "sizes in K, M, G");
        command.Options.Add(human);
        command.SetClientAction(async (parse, client, cancellationToken) =>
        {
            var s = await client.GetFsStatsAsync(cancellationToken).ConfigureAwait(false);
            var h = parse.GetValue(human);
            var use = s.CapacityBytes > 0 ? (100.0 * s.UsedBytes / s.CapacityBytes).ToString("0", CultureInfo.InvariantCulture) + "%" : "-";
            var name = "pyhdfs://" + client.Options.NameNodes[0].Authority;
            string[] header = ["Filesystem", "Size", "Used", "Available", "Use%", "DataNodes"];
            string[] row = [name, Sizes.Format(s.CapacityBytes, h), Sizes.Format(s.UsedBytes, h), Sizes.Format(s.RemainingBytes, h), use,
                $"{s.LiveDataNodes} live, {s.DeadDataNodes} dead"];
            var widths = header.Select((c, i) => Math.Max(c.Length, row[i].Length)).ToArray();
            Console.Out.WriteLine(string.Join("  ", header.Select((c, i) => i == 0 || i == 5 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd());
            Console.Out.WriteLine(string.Join("  ", row.Select((c, i) => i == 0 || i == 5 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd());
            if (s.SafeMode)
            {
                Terminal.Warning("the NameNode is in safe mode (read-only until enough blocks are reported)");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
