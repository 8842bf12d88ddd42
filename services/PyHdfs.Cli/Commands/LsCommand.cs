using System.CommandLine;
using PyHdfs.Cli.Infrastructure;
using PyHdfs.Cli.Output;
using PyHdfs.Client;

namespace PyHdfs.Cli.Commands;

internal static class LsCommand
{
    public static Command Create()
    {
        var command = CommandBuilder.Create("ls",
            "List directories (or show files) like hdfs dfs -ls: permissions, replication, owner, group, size, modification time, path.",
            "pyhdfs ls /",
            "pyhdfs ls -R -h /data");
        var paths = new Argument<string[]>("path") { Description = "paths to list (default: /)", Arity = ArgumentArity.ZeroOrMore };
        var recursive = CommandBuilder.Flag("--recursive", "-R", "list subdirectories recursively");
        var human = CommandBuilder.Flag("--human", "-h", "sizes in K, M, G");
        command.Arguments.Add(paths);
        command.Options.Add(recursive);
        command.Options.Add(human);
        command.SetClientAction(async (parse, client, cancellationToken) =>
        {
            var targets = parse.GetValue(paths) is { Length: > 0 } given ? given : ["/"];
            foreach (var target in targets)
            {
                var path = TargetResolver.Remote(target);
                var status = await client.GetFileStatusAsync(path, cancellationToken).ConfigureAwait(false);
                if (!status.IsDirectory)
                {
                    Print([status], parse.GetValue(human));
                    continue;
                }
                await ListAsync(client, path, parse.GetValue(recursive), parse.GetValue(human), cancellationToken).ConfigureAwait(false);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task ListAsync(DfsClient client, string path, bool recursive, bool human, CancellationToken cancellationToken)
    {
        var entries = new List<DfsFileStatus>();
        if (recursive)
        {
            await CollectAsync(client, path, entries, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await foreach (var entry in client.ListAsync(path, cancellationToken).ConfigureAwait(false))
            {
                entries.Add(entry);
            }
            Console.Out.WriteLine($"Found {entries.Count} item{(entries.Count == 1 ? "" : "s")}");
        }
        Print(entries, human);
    }

    /// <summary>Depth first: each directory is followed by its contents, as hdfs dfs -ls -R prints them.</summary>
    private static async Task CollectAsync(DfsClient client, string path, List<DfsFileStatus> into, CancellationToken cancellationToken)
    {
        await foreach (var entry in client.ListAsync(path, cancellationToken).ConfigureAwait(false))
        {
            into.Add(entry);
            if (entry.IsDirectory)
            {
                await CollectAsync(client, entry.Path, into, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static void Print(IReadOnlyList<DfsFileStatus> entries, bool human)
    {
        foreach (var line in ListingFormatter.Format(entries, human))
        {
            Console.Out.WriteLine(line);
        }
    }
}
