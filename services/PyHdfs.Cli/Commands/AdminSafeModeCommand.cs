using System.CommandLine;
using Grpc.Core;
using PyHdfs.Cli.Infrastructure;
using PyHdfs.Client;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.Cli.Commands;

/// <summary>admin safemode get|enter|leave: the active NameNode's safe mode, shown or set by hand.</summary>
internal static class AdminSafeModeCommand
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    public static Command Create()
    {
        var command = CommandBuilder.Create("safemode",
            "Show or set the active NameNode's safe mode (reads only, writes refused). 'enter' keeps it on until 'leave'; " +
            "after a restart or failover the NameNode leaves it by itself once enough blocks are reported.",
            "pyhdfs admin safemode get", "pyhdfs admin safemode enter", "pyhdfs admin safemode leave");
        var action = new Argument<string>("ACTION") { Description = "get, enter or leave" };
        action.AcceptOnlyFromAmong("get", "enter", "leave");
        command.Arguments.Add(action);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = new SetSafeModeRequest
            {
                Action = parse.GetRequiredValue(action) switch
                {
                    "enter" => SafeModeAction.SafeModeEnter,
                    "leave" => SafeModeAction.SafeModeLeave,
                    _ => SafeModeAction.SafeModeGet,
                },
            };
            var cluster = NameNodeDiscovery.ResolveCluster(parse.GetValue(GlobalOptions.NameNode), Environment.GetEnvironmentVariable);
            var addresses = cluster.NameNodes;
            var failures = new List<string>();
            foreach (var address in addresses)
            {
                try
                {
                    using var channel = cluster.OpenChannel(address);
                    var status = await new ClientProtocol.ClientProtocolClient(channel)
                        .SetSafeModeAsync(request, new Grpc.Core.Metadata { { RequestHeaders.User, DfsClientOptions.DefaultUser() } },
                            deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
                    Console.Out.WriteLine(status.On ? $"Safe mode is ON: {status.Reason}" : "Safe mode is OFF");
                    return ExitCodes.Success;
                }
                catch (RpcException e) when (DfsErrors.KindOf(e) == ErrorKind.StandbyNamenode || e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
                {
                    failures.Add($"{address.GetLeftPart(UriPartial.Authority)}: {(DfsErrors.KindOf(e) == ErrorKind.StandbyNamenode ? "standby" : e.StatusCode.ToString())}");
                }
            }
            throw new CliException($"no active NameNode ({string.Join("; ", failures)})");
        });
        return command;
    }
}
