using System.CommandLine;
using System.Diagnostics;
using PyHdfs.Cli.Output;

namespace PyHdfs.Cli.Infrastructure;

/// <summary>--trace on put/get: record the operation's spans and print its trace id at the end.</summary>
internal static class TraceOption
{
    public static readonly Option<bool> Option = new("--trace")
    {
        Description = "print the trace id of the operation on stderr at the end",
    };

    public static void Report(ParseResult parse, string? traceId)
    {
        if (parse.GetValue(Option))
        {
            Terminal.Error($"trace id: {traceId ?? Activity.Current?.TraceId.ToHexString() ?? "(tracing unavailable)"}");
        }
    }
}
