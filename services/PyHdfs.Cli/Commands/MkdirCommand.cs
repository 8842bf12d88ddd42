using System.CommandLine;
using PyHdfs.Cli.Infrastructure;

namespace PyHdfs.Cli.Commands;

internal static class MkdirCommand
{
    public static Command Create()
    {
        var command = CommandBuilder.Create("mkdir", "Create directories.",
            "pyhdfs mkdir /data",
            "pyhdfs mkdir -p /a/b/c");
        var paths = new Argument<string[]>("path") { Description = "directories to create", Arity = ArgumentArity.OneOrMore };
        var parents = CommandBuilder.Flag("--parents", "-p", "create missing parents; an existing directory is not an error");
        command.Arguments.Add(paths);
        command.Options.Add(parents);
        command.SetClientAction(async (parse, client, cancellationToken) =>
        {
            var withParents = parse.GetValue(parents);
            foreach (var target in parse.GetRequiredValue(paths))
            {
                var path = TargetResolver.Remote(target);
                if (!withParents && await client.TryGetFileStatusAsync(path, cancellationToken).ConfigureAwait(false) is not null)
                {
                    throw new CliException($"{path}: already exists");
                }
                await client.MkdirsAsync(path, withParents, cancellationToken).ConfigureAwait(false);
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
