using System.CommandLine;
using System.Globalization;
using PyHdfs.Cli.Infrastructure;
using PyHdfs.Cli.Output;
using PyHdfs.Client;

namespace PyHdfs.Cli.Commands;

/// <summary>admin: cluster administration; "admin report" lists the DataNodes, "admin ha" the NameNodes' roles.</summary>
internal static class AdminCommand
{
    public static Command Create()
    {
        var command = CommandBuilder.Create("admin", "Cluster administration.", "pyhdfs admin report", "pyhdfs admin report -h", "pyhdfs admin ha", "pyhdfs admin safemode get");
        command.Subcommands.Add(CreateReport());
        command.Subcommands.Add(AdminHaCommand.Create());
        command.Subcommands.Add(AdminSafeModeCommand.Create());
        return command;
    }

    private static Command CreateReport()
    {
        var command = CommandBuilder.Create("report",
            "List the DataNodes the NameNode knows, live and dead: id, address, state, capacity, used, remaining, last heartbeat, block count.",
            "pyhdfs admin report", "pyhdfs admin report -h");
        var human = CommandBuilder.Flag("--human", "-h", "sizes in K, M, G");
        command.Options.Add(human);
        command.SetClientAction(async (parse, client, cancellationToken) =>
        {
            var nodes = await client.GetDataNodeReportAsync(cancellationToken).ConfigureAwait(false);
            var h = parse.GetValue(human);
            var now = DateTimeOffset.UtcNow;
            var live = nodes.Count(n => n.Live);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"DataNodes: {live} live, {nodes.Count - live} dead"));
            string[] header = ["ID", "ADDRESS", "STATE", "CAPACITY", "USED", "REMAINING", "LAST HEARTBEAT", "BLOCKS"];
            var rows = nodes.Select(n => Row(n, h, now)).ToList();
            var widths = header.Select((c, i) => rows.Select(r => r[i].Length).Append(c.Length).Max()).ToArray();
            Console.Out.WriteLine(Format(header, widths));
            foreach (var row in rows)
            {
                Console.Out.WriteLine(Format(row, widths));
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static string[] Row(DfsDataNodeReport n, bool human, DateTimeOffset now) =>
    [
        n.Node.Id,
        $"{n.Node.Host}:{n.Node.DataPort}",
        n.Live ? "live" : "dead",
        Sizes.Format(n.CapacityBytes, human),
        Sizes.Format(n.UsedBytes, human),
        Sizes.Format(n.RemainingBytes, human),
        n.LastHeartbeat is { } at
            ? string.Create(CultureInfo.InvariantCulture, $"{at.ToLocalTime():yyyy-MM-dd HH:mm:ss} ({Math.Max(0, (now - at).TotalSeconds):0} s ago)")
            : "never",
        n.BlockCount.ToString(CultureInfo.InvariantCulture),
    ];

    // Text columns left-aligned, numbers right-aligned.
    private static string Format(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i is 3 or 4 or 5 or 7 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
}
