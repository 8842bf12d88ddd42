using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PyHdfs.Cli.Infrastructure;

namespace PyHdfs.Cli.Commands;

/// <summary>trace ID: the span tree of one trace, fetched from the AppHost that received it over OTLP.</summary>
internal static class TraceCommand
{
    public const string AppHostVariable = "PYHDFS_APPHOST";

    public static Command Create()
    {
        var command = CommandBuilder.Create("trace",
            "Print the span tree of a trace (service, span, duration, key attributes), as received by the AppHost. " +
            "Trace ids come from put/get --trace, pyhdfs demo, or the dashboard.",
            "pyhdfs put --trace ./x /x        # prints: trace id: 4bf92f35...",
            "pyhdfs trace 4bf92f3577b34da6a3ce929d0e0e4736",
            "pyhdfs trace --apphost http://127.0.0.1:41000 4bf92f35...");
        var id = new Argument<string>("trace-id") { Description = "the 32-hex-digit trace id" };
        var appHost = new Option<string?>("--apphost") { Description = "the AppHost's dashboard URL (default: $PYHDFS_APPHOST, then the cluster file)", HelpName = "URL" };
        var all = CommandBuilder.Flag("--all", "also show the HTTP/2 transport spans under each RPC");
        command.Arguments.Add(id);
        command.Options.Add(appHost);
        command.Options.Add(all);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var traceId = parse.GetRequiredValue(id).Trim().ToLowerInvariant();
            if (traceId.Length != 32 || !traceId.All(Uri.IsHexDigit))
            {
                throw CliException.Usage($"'{traceId}' is not a trace id (32 hex digits, as printed by put --trace)");
            }
            var baseUrl = ResolveAppHost(parse.GetValue(appHost));
            var trace = await FetchAsync(baseUrl, traceId, cancellationToken).ConfigureAwait(false);
            foreach (var line in TraceTree.Render(trace, includeTransport: parse.GetValue(all)))
            {
                Console.Out.WriteLine(line);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Uri ResolveAppHost(string? option)
    {
        var value = !string.IsNullOrWhiteSpace(option) ? option : Environment.GetEnvironmentVariable(AppHostVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            var file = Environment.GetEnvironmentVariable(NameNodeDiscovery.ClusterFileVariable) is { Length: > 0 } f ? f : NameNodeDiscovery.DefaultClusterFile;
            value = File.Exists(file) ? ReadDashboard(file) : null;
            if (value is null)
            {
                throw new CliException(
                    $"no AppHost: traces are kept by the AppHost, and {file} {(File.Exists(file) ? "names no dashboard" : "does not exist")}; " +
                    $"start the cluster with the AppHost, or pass --apphost URL (or set ${AppHostVariable})");
            }
        }
        return Uri.TryCreate(value.EndsWith('/') ? value : value + "/", UriKind.Absolute, out var uri)
            ? uri
            : throw CliException.Usage($"'{value}' is not the AppHost's URL (e.g. http://127.0.0.1:41000)");
    }

    private static string? ReadDashboard(string file)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            return document.RootElement.TryGetProperty("dashboard", out var url) && url.ValueKind == JsonValueKind.String ? url.GetString() : null;
        }
        catch (JsonException e)
        {
            throw new CliException($"the cluster file {file} is not valid JSON: {e.Message}");
        }
    }

    private static async Task<TraceDocument> FetchAsync(Uri baseUrl, string traceId, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var url = new Uri(baseUrl, $"api/traces/{traceId}");
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"the AppHost at {baseUrl} does not answer ({e.Message}): is the cluster running?");
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new CliException($"trace {traceId}: unknown to the AppHost at {baseUrl} (it keeps recent traces only; spans arrive about a second after the operation)");
            }
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<TraceDocument>(TraceTree.Json, cancellationToken).ConfigureAwait(false)
                ?? throw new CliException($"trace {traceId}: the AppHost at {baseUrl} answered an empty document");
        }
    }
}
