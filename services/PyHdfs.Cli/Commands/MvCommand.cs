using System.CommandLine;
using PyHdfs.Cli.Infrastructure;

namespace PyHdfs.Cli.Commands;

internal static class MvCommand
{
    public static Command Create()
    {
        var command = CommandBuilder.Create("mv", "Move or rename a file or directory (a namespace operation: no data moves).",
            "pyhdfs mv /x /y",
            "pyhdfs mv /data/x /archive          # /archive exists: becomes /archive/x");
        var source = new Argument<string>("source") { Description = "what to move" };
        var destination = new Argument<string>("destination") { Description = "new path, or an existing directory to move into" };
        command.Arguments.Add(source);
        command.Arguments.Add(destination);
        command.SetClientAction(async (parse, client, cancellationToken) =>
        {
            var from = TargetResolver.Remote(parse.GetRequiredValue(source));
            var to = TargetResolver.Remote(parse.GetRequiredValue(destination));
            var existing = await client.TryGetFileStatusAsync(to, cancellationToken).ConfigureAwait(false);
            var target = TargetResolver.MoveTarget(from, to, existing?.IsDirectory == true);
            await client.RenameAsync(from, target, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
