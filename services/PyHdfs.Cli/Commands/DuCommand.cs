using System.CommandLine;
using PyHdfs.Cli.Infrastructure;
using PyHdfs.Cli.Output;
using PyHdfs.Client;

namespace PyHdfs.Cli.Commands;

internal static class DuCommand
{
    public static Command Create()
    {
        var command = CommandBuilder.Create("du",
            "Show space used: for each entry of a directory (or with -s for the path itself): size, space consumed by all replicas, path.",
            "pyhdfs du /data",
            "pyhdfs du -s -h /");
        var paths = new Argument<string[]>("path") { Description = "paths (default: /)", Arity = ArgumentArity.ZeroOrMore };
        var summary = CommandBuilder.Flag("--summary", "-s", "one total line per path instead of one line per entry");
        var human = CommandBuilder.Flag("--human", "-h", "sizes in K, M, G");
        command.Arguments.Add(paths);
        command.Options.Add(summary);
        command.Options.Add(human);
        command.SetClientAction(async (parse, client, cancellationToken) =>
        {
            var rows = new List<(long Length, long Consumed, string Path)>();
            foreach (var target in parse.GetValue(paths) is { Length: > 0 } given ? given : ["/"])
            {
                var path = TargetResolver.Remote(target);
                var status = await client.GetFileStatusAsync(path, cancellationToken).ConfigureAwait(false);
                if (parse.GetValue(summary) || !status.IsDirectory)
                {
                    rows.Add(await SummarizeAsync(client, path, cancellationToken).ConfigureAwait(false));
                    continue;
                }
                await foreach (var entry in client.ListAsync(path, cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(await SummarizeAsync(client, entry.Path, cancellationToken).ConfigureAwait(false));
                }
            }
            var h = parse.GetValue(human);
            var cells = rows.Select(r => (Sizes.Format(r.Length, h), Sizes.Format(r.Consumed, h), r.Path)).ToArray();
            var w1 = cells.Select(c => c.Item1.Length).DefaultIfEmpty(0).Max();
            var w2 = cells.Select(c => c.Item2.Length).DefaultIfEmpty(0).Max();
            foreach (var (length, consumed, path) in cells)
            {
                Console.Out.WriteLine($"{length.PadLeft(w1)}  {consumed.PadLeft(w2)}  {path}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<(long, long, string)> SummarizeAsync(DfsClient client, string path, CancellationToken cancellationToken)
    {
        var summary = await client.GetContentSummaryAsync(path, cancellationToken).ConfigureAwait(false);
        return (summary.Length, summary.SpaceConsumed, path);
    }
}
