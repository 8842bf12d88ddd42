using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PyHdfs.Client;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.AppHost;

/// <summary>
/// The NameNode's admin actions as Aspire resource commands (buttons in the dashboard, or
/// <c>ResourceCommandService.ExecuteCommandAsync</c>): fsck /, enter and leave safe mode, the admin report, and
/// for an HA pair a manual failover. Each asks this NameNode through the client library as the AppHost's user
/// (the NameNode's superuser) and writes its answer to the NameNode's console log in the dashboard.
/// </summary>
public static class NameNodeCommands
{
    public const string Fsck = "pyhdfs-fsck";
    public const string EnterSafeMode = "pyhdfs-safemode-enter";
    public const string LeaveSafeMode = "pyhdfs-safemode-leave";
    public const string Report = "pyhdfs-report";
    public const string Failover = "pyhdfs-failover";

    public static IResourceBuilder<ProjectResource> WithNameNodeCommands(this IResourceBuilder<ProjectResource> namenode, ClusterSecrets secrets, bool highAvailability)
    {
        var endpoint = namenode.GetEndpoint(PyHdfsServices.GrpcEndpoint);
        Func<ExecuteCommandContext, Task<ExecuteCommandResult>> Run(Func<DfsClient, CancellationToken, Task<IEnumerable<string>>> action) =>
            async context =>
            {
                var log = context.Services.GetRequiredService<ResourceLoggerService>().GetLogger(context.ResourceName);
                try
                {
                    await using var client = new DfsClient(new DfsClientOptions { NameNodes = [new Uri(endpoint.Url)], TlsCaPath = secrets.Tls?.CaPath });
                    var text = string.Join("\n", await action(client, context.CancellationToken).ConfigureAwait(false));
                    log.LogInformation("{Result}", text);
                    return CommandResults.Success(text);
                }
                catch (Exception e) when (e is DfsIOException or Grpc.Core.RpcException or IOException)
                {
                    log.LogError("{Error}", e.Message);
                    return CommandResults.Failure(e.Message);
                }
            };
        namenode
            .WithCommand(Fsck, "fsck /", Run(FsckLinesAsync), new CommandOptions
            {
                UpdateState = RunningOnly,
                Description = "Checks every block of every file; the report goes to this resource's console log.",
                IconName = "DocumentSearch",
            })
            .WithCommand(EnterSafeMode, "Enter safe mode", Run((c, t) => SafeModeAsync(c, SafeModeAction.SafeModeEnter, t)), new CommandOptions
            {
                UpdateState = RunningOnly,
                Description = "The namespace becomes read-only until safe mode is left.",
                ConfirmationMessage = "Enter safe mode? Writes are refused until you leave it.",
                IconName = "LockClosed",
            })
            .WithCommand(LeaveSafeMode, "Leave safe mode", Run((c, t) => SafeModeAsync(c, SafeModeAction.SafeModeLeave, t)), new CommandOptions
            {
                UpdateState = RunningOnly,
                IconName = "LockOpen",
            })
            .WithCommand(Report, "Admin report", Run(ReportLinesAsync), new CommandOptions
            {
                UpdateState = RunningOnly,
                Description = "Capacity, DataNodes and block counts, as pyhdfs admin report.",
                IconName = "DataBarVertical",
            });
        if (highAvailability)
        {
            // A graceful restart makes this NameNode resign its leadership: the standby takes over and this one
            // comes back as the standby.
            namenode.WithCommand(Failover, "Fail over", async context =>
            {
                var commands = context.Services.GetRequiredService<ResourceCommandService>();
                var result = await commands.ExecuteCommandAsync(context.ResourceName, KnownResourceCommands.RestartCommand, context.CancellationToken).ConfigureAwait(false);
                return result.Success ? CommandResults.Success("restarted: the other NameNode takes over if this one was active") : CommandResults.Failure(result.Message);
            }, new CommandOptions
            {
                UpdateState = RunningOnly,
                Description = "Restarts this NameNode: if it is the active one, the standby takes over.",
                ConfirmationMessage = "Restart this NameNode so that the other one becomes active?",
                IconName = "ArrowSwap",
            });
        }
        return namenode;
    }

    private static ResourceCommandState RunningOnly(UpdateCommandStateContext context) =>
        context.ResourceSnapshot.State?.Text == KnownResourceStates.Running ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;

    private static async Task<IEnumerable<string>> FsckLinesAsync(DfsClient client, CancellationToken cancellationToken)
    {
        var report = await client.FsckAsync("/", cancellationToken).ConfigureAwait(false);
        var lines = new List<string>
        {
            $"fsck /: {report.TotalFiles} files, {report.TotalDirectories} directories, {report.TotalBlocks} blocks",
            $"  under-replicated {report.UnderReplicatedBlocks}, over-replicated {report.OverReplicatedBlocks}, corrupt {report.CorruptBlocks}, missing {report.MissingBlocks}",
        };
        lines.AddRange(report.Files.SelectMany(f => f.Blocks.Where(b => b.Health != DfsBlockHealth.Healthy)
            .Select(b => $"  {f.Path} {b.Name}: {b.Health}")));
        lines.Add($"The filesystem under path '/' is {(report.Healthy ? "HEALTHY" : "CORRUPT")}");
        return lines;
    }

    private static async Task<IEnumerable<string>> SafeModeAsync(DfsClient client, SafeModeAction action, CancellationToken cancellationToken)
    {
        var (on, reason) = await client.SetSafeModeAsync(action, cancellationToken).ConfigureAwait(false);
        return [on ? $"Safe mode is ON{(reason.Length > 0 ? $": {reason}" : "")}" : "Safe mode is OFF"];
    }

    private static async Task<IEnumerable<string>> ReportLinesAsync(DfsClient client, CancellationToken cancellationToken)
    {
        var stats = await client.GetFsStatsAsync(cancellationToken).ConfigureAwait(false);
        var nodes = await client.GetDataNodeReportAsync(cancellationToken).ConfigureAwait(false);
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Configured capacity: {stats.CapacityBytes} B, used {stats.UsedBytes} B, remaining {stats.RemainingBytes} B"),
            $"Files {stats.TotalFiles}, directories {stats.TotalDirectories}, blocks {stats.TotalBlocks} (under-replicated {stats.UnderReplicatedBlocks}, missing {stats.MissingBlocks})",
            $"Safe mode: {(stats.SafeMode ? "ON" : "off")}",
            $"DataNodes: {stats.LiveDataNodes} live, {stats.DeadDataNodes} dead",
        };
        lines.AddRange(nodes.Select(n => string.Create(CultureInfo.InvariantCulture,
            $"  {n.Node} {(n.Live ? "live" : "dead")}: capacity {n.CapacityBytes} B, used {n.UsedBytes} B, {n.BlockCount} blocks, last heartbeat {n.LastHeartbeat:u}")));
        return lines;
    }
}
