using System.CommandLine;
using System.Globalization;
using Grpc.Core;
using PyHdfs.Cli.Infrastructure;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.Cli.Commands;

/// <summary>admin ha: each configured NameNode's role, epoch and journal position, and the metadata service's.</summary>
internal static class AdminHaCommand
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    public static Command Create()
    {
        var command = CommandBuilder.Create("ha",
            "Show NameNode high availability: for each configured NameNode its id, address, role (active, active in safe mode, standby, starting, unreachable), " +
            "epoch and last applied journal txid; then the metadata service's last txid, and the registry when a NameNode cannot reach it. Exit code 1 when no NameNode is active.",
            "pyhdfs admin ha", "pyhdfs admin ha --namenode 127.0.0.1:9000,127.0.0.1:9001");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var cluster = NameNodeDiscovery.ResolveCluster(parse.GetValue(GlobalOptions.NameNode), Environment.GetEnvironmentVariable);
            var addresses = cluster.NameNodes;
            var statuses = await Task.WhenAll(addresses.Select(a => StatusAsync(cluster, a, cancellationToken))).ConfigureAwait(false);
            string[] header = ["ID", "ADDRESS", "ROLE", "EPOCH", "LAST TXID"];
            var rows = addresses.Select((address, i) => Row(address, statuses[i].Status, statuses[i].Error)).ToList();
            var widths = header.Select((c, i) => rows.Select(r => r[i].Length).Append(c.Length).Max()).ToArray();
            Console.Out.WriteLine(Format(header, widths));
            foreach (var row in rows)
            {
                Console.Out.WriteLine(Format(row, widths));
            }
            var metadataTxid = statuses.Select(s => s.Status?.MetadataLastTxid ?? -1).Where(t => t >= 0).DefaultIfEmpty(-1).Max();
            Console.Out.WriteLine(metadataTxid >= 0
                ? string.Create(CultureInfo.InvariantCulture, $"metadata service: last txid {metadataTxid}")
                : "metadata service: unreachable from every NameNode");
            foreach (var status in statuses.Select(s => s.Status).OfType<HaStatus>().Where(s => s.Registry.Length > 0 && s.Registry != "reachable"))
            {
                Console.Out.WriteLine($"registry: {status.Registry} from {status.NamenodeId}; " +
                    (status.HighAvailability ? "the active NameNode keeps serving, but no NameNode can be elected until it is back" : "reads and writes carry on"));
            }
            return statuses.Any(s => s.Status?.State == "active") ? ExitCodes.Success : ExitCodes.Error;
        });
        return command;
    }

    private static async Task<(HaStatus? Status, string? Error)> StatusAsync(ClusterFile cluster, Uri address, CancellationToken cancellationToken)
    {
        try
        {
            using var channel = cluster.OpenChannel(address);
            var status = await new ClientProtocol.ClientProtocolClient(channel)
                .GetHaStatusAsync(new GetHaStatusRequest(), deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return (status, null);
        }
        catch (RpcException e)
        {
            return (null, e.StatusCode == StatusCode.DeadlineExceeded ? $"no answer within {CallTimeout.TotalSeconds:0} s" : e.StatusCode.ToString());
        }
    }

    private static string[] Row(Uri address, HaStatus? status, string? error) => status is null
        ? ["-", address.GetLeftPart(UriPartial.Authority), $"unreachable ({error})", "-", "-"]
        :
        [
            status.NamenodeId,
            address.GetLeftPart(UriPartial.Authority),
            status.SafeMode ? $"active, in safe mode ({status.SafeModeReason})" : status.State,
            status.Epoch.ToString(CultureInfo.InvariantCulture),
            status.LastAppliedTxid.ToString(CultureInfo.InvariantCulture),
        ];

    private static string Format(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i >= 3 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
}
