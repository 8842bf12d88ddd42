using System.CommandLine;
using PyHdfs.Cli.Infrastructure;

namespace PyHdfs.Cli.Commands;

internal static class CatCommand
{
    public static Command Create()
    {
        var command = CommandBuilder.Create("cat", "Write the contents of files to stdout.",
            "pyhdfs cat /data/log.txt",
            "pyhdfs cat /a/part-0 /a/part-1 > all");
        var paths = new Argument<string[]>("path") { Description = "files to print, in order", Arity = ArgumentArity.OneOrMore };
        command.Arguments.Add(paths);
        command.SetClientAction(async (parse, client, cancellationToken) =>
        {
            await using var stdout = Console.OpenStandardOutput();
            foreach (var path in parse.GetRequiredValue(paths))
            {
                await using var input = await client.OpenAsync(TargetResolver.Remote(path), cancellationToken).ConfigureAwait(false);
                await input.CopyToAsync(stdout, 1 << 20, cancellationToken).ConfigureAwait(false);
            }
            await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
