using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using PyHdfs.Cli.Infrastructure;
using PyHdfs.Cli.Output;
using PyHdfs.Client;

namespace PyHdfs.Cli.Commands;

/// <summary>demo: the AppHost's "client" resource. Puts a generated file, gets it back, verifies it, prints both trace ids.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var command = CommandBuilder.Create("demo",
            "A demonstration workload: put a generated file, get it back, verify it byte for byte, and print the trace id of each operation.",
            "pyhdfs demo",
            "pyhdfs demo --size 10M --trace");
        var size = new Option<string>("--size") { Description = "size of the generated file (default 3M)", HelpName = "SIZE", DefaultValueFactory = _ => "3M" };
        var directory = new Option<string>("--dir") { Description = "where the file is stored (default /demo)", HelpName = "DIR", DefaultValueFactory = _ => "/demo" };
        command.Options.Add(size);
        command.Options.Add(directory);
        command.Options.Add(TraceOption.Option);
        command.SetClientAction(async (parse, client, cancellationToken) =>
        {
            var bytes = Sizes.Parse(parse.GetRequiredValue(size), "--size");
            var path = $"{TargetResolver.Remote(parse.GetRequiredValue(directory)).TrimEnd('/')}/demo-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}.bin";
            var data = RandomNumberGenerator.GetBytes(checked((int)bytes));

            var clock = Stopwatch.StartNew();
            string? putTrace;
            await using (var output = await client.CreateAsync(path, new DfsCreateOptions { Overwrite = true }, cancellationToken).ConfigureAwait(false))
            {
                await output.WriteAsync(data, cancellationToken).ConfigureAwait(false);
                await output.CloseAsync(cancellationToken).ConfigureAwait(false);
                putTrace = output.TraceId;
            }
            Console.Out.WriteLine(Line("put", path, bytes, clock.Elapsed, putTrace));

            clock.Restart();
            byte[] copy;
            string? getTrace;
            await using (var input = await client.OpenAsync(path, cancellationToken).ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                await input.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                copy = buffer.ToArray();
                getTrace = input.TraceId;
            }
            Console.Out.WriteLine(Line("get", path, copy.Length, clock.Elapsed, getTrace));
            if (!copy.AsSpan().SequenceEqual(data))
            {
                throw new CliException($"{path}: the copy read back differs from what was written ({copy.Length} of {bytes} bytes read)");
            }
            Console.Out.WriteLine($"verified: {path} reads back identical (sha256 {Convert.ToHexStringLower(SHA256.HashData(copy))})");
            if (putTrace is not null)
            {
                Console.Out.WriteLine($"inspect: pyhdfs trace {putTrace}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Line(string operation, string path, long bytes, TimeSpan elapsed, string? traceId) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{operation} {path}: {Sizes.Format(bytes, human: true)} in {elapsed.TotalMilliseconds:0} ms, trace id {traceId ?? "(tracing off: set OTEL_EXPORTER_OTLP_ENDPOINT or pass --trace)"}");
}
