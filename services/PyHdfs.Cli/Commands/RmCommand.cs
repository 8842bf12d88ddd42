using System.CommandLine;
using PyHdfs.Cli.Infrastructure;
using PyHdfs.Client;
using PyHdfs.Protocol;

namespace PyHdfs.Cli.Commands;

internal static class RmCommand
{
    public static Command Create()
    {
        var command = CommandBuilder.Create("rm", "Delete files, or directories with -r. Their blocks are removed from the DataNodes.",
            "pyhdfs rm /data/x",
            "pyhdfs rm -r /a",
            "pyhdfs rm -f /maybe/missing");
        var paths = new Argument<string[]>("path") { Description = "paths to delete", Arity = ArgumentArity.OneOrMore };
        var recursive = CommandBuilder.Flag("--recursive", "-r", "delete directories and everything below them");
        var force = CommandBuilder.Flag("--force", "-f", "do not complain about missing paths");
        command.Arguments.Add(paths);
        command.Options.Add(recursive);
        command.Options.Add(force);
        command.SetClientAction(async (parse, client, cancellationToken) =>
        {
            foreach (var target in parse.GetRequiredValue(paths))
            {
                var path = TargetResolver.Remote(target);
                if (path == "/")
                {
                    throw new CliException("refusing to delete /");
                }
                try
                {
                    await client.DeleteAsync(path, parse.GetValue(recursive), cancellationToken).ConfigureAwait(false);
                    Console.Out.WriteLine($"Deleted {path}");
                }
                catch (DfsIOException e) when (e.Kind == ErrorKind.FileNotFound && parse.GetValue(force))
                {
                }
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
