using System.CommandLine;
using PyHdfs.Cli.Infrastructure;

namespace PyHdfs.Cli.Commands;

/// <summary>trace ID: the span tree of one trace, read from the Aspire dashboard that received it over OTLP.</summary>
internal static class TraceCommand
{
    public static Command Create()
    {
        var command = CommandBuilder.Create("trace",
            "Print the span tree of a trace (service, span, duration, key attributes), as received by the AppHost's dashboard. " +
            "Trace ids come from put/get --trace, pyhdfs demo, or the dashboard.",
            "pyhdfs put --trace ./x /x        # prints: trace id: 4bf92f35...",
            "pyhdfs trace 4bf92f3577b34da6a3ce929d0e0e4736",
            "pyhdfs trace --dashboard http://127.0.0.1:18888 --api-key KEY 4bf92f35...");
        var id = new Argument<string>("trace-id") { Description = "the 32-hex-digit trace id" };
        var dashboard = new Option<string?>("--dashboard", "--apphost")
        {
            Description = $"the dashboard's URL (default: ${DashboardTarget.UrlVariable}, then the cluster file)",
            HelpName = "URL",
        };
        var apiKey = new Option<string?>("--api-key")
        {
            Description = $"the dashboard's telemetry API key (default: ${DashboardTarget.ApiKeyVariable}, then the cluster file)",
            HelpName = "KEY",
        };
        var all = CommandBuilder.Flag("--all", "also show the HTTP/2 transport spans under each RPC");
        command.Arguments.Add(id);
        command.Options.Add(dashboard);
        command.Options.Add(apiKey);
        command.Options.Add(all);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var traceId = parse.GetRequiredValue(id).Trim().ToLowerInvariant();
            if (traceId.Length != 32 || !traceId.All(Uri.IsHexDigit))
            {
                throw CliException.Usage($"'{traceId}' is not a trace id (32 hex digits, as printed by put --trace)");
            }
            var target = DashboardTarget.Resolve(parse.GetValue(dashboard), parse.GetValue(apiKey), Environment.GetEnvironmentVariable);
            var trace = await DashboardTraceReader.FetchAsync(target, traceId, cancellationToken).ConfigureAwait(false);
            foreach (var line in TraceTree.Render(trace, includeTransport: parse.GetValue(all)))
            {
                Console.Out.WriteLine(line);
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
