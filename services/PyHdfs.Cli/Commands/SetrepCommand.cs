using System.CommandLine;
using PyHdfs.Cli.Infrastructure;
using PyHdfs.Client;

namespace PyHdfs.Cli.Commands;

internal static class SetrepCommand
{
    public static Command Create()
    {
        var command = CommandBuilder.Create("setrep",
            "Change the replication factor of a file, or of every file below a directory. The NameNode adds or removes replicas in the background.",
            "pyhdfs setrep 3 /data/big.iso",
            "pyhdfs setrep 1 /scratch");
        var replication = new Argument<int>("replication") { Description = "the new number of replicas per block (at least 1)" };
        var paths = new Argument<string[]>("path") { Description = "files or directories", Arity = ArgumentArity.OneOrMore };
        command.Arguments.Add(replication);
        command.Arguments.Add(paths);
        command.SetClientAction(async (parse, client, cancellationToken) =>
        {
            var factor = parse.GetValue(replication);
            if (factor < 1)
            {
                throw CliException.Usage($"replication must be at least 1 (got {factor})");
            }
            foreach (var target in parse.GetRequiredValue(paths))
            {
                var path = TargetResolver.Remote(target);
                var status = await client.GetFileStatusAsync(path, cancellationToken).ConfigureAwait(false);
                await ApplyAsync(client, status, factor, cancellationToken).ConfigureAwait(false);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task ApplyAsync(DfsClient client, DfsFileStatus status, int factor, CancellationToken cancellationToken)
    {
        if (!status.IsDirectory)
        {
            await client.SetReplicationAsync(status.Path, factor, cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine($"Replication {factor} set: {status.Path}");
            return;
        }
        await foreach (var entry in client.ListAsync(status.Path, cancellationToken).ConfigureAwait(false))
        {
            await ApplyAsync(client, entry, factor, cancellationToken).ConfigureAwait(false);
        }
    }
}
