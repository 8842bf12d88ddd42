using System.CommandLine;
using PyHdfs.Cli.Infrastructure;
using PyHdfs.Protocol.Permissions;

namespace PyHdfs.Cli.Commands;

internal static class ChmodCommand
{
    public static Command Create()
    {
        var command = CommandBuilder.Create("chmod",
            "Change the mode of files and directories: octal (755, 1777 with the sticky bit) or symbolic (u+x,go-w). " +
            "Only the owner or the superuser may. You act as $PYHDFS_USER, else as your OS user.",
            "pyhdfs chmod 750 /team",
            "pyhdfs chmod -R go-w /team/shared",
            "pyhdfs chmod 1777 /tmp");
        var mode = new Argument<string>("mode") { Description = "octal (0..1777) or [ugoa][+-=][rwxt] clauses separated by commas" };
        var paths = new Argument<string[]>("path") { Description = "files or directories", Arity = ArgumentArity.OneOrMore };
        mode.Validators.Add(result =>
        {
            try
            {
                ModeSpec.Parse(result.GetValueOrDefault<string>() ?? "");
            }
            catch (CliException e)
            {
                result.AddError(e.Message);
            }
        });
        var recursive = Ownership.RecursiveOption();
        command.Arguments.Add(mode);
        command.Arguments.Add(paths);
        command.Options.Add(recursive);
        command.SetClientAction(async (parse, client, cancellationToken) =>
        {
            var fileMode = ModeSpec.Parse(parse.GetRequiredValue(mode));
            foreach (var target in parse.GetRequiredValue(paths))
            {
                var path = TargetResolver.Remote(target);
                await foreach (var status in TreeWalk.StatusesAsync(client, path, parse.GetValue(recursive), cancellationToken).ConfigureAwait(false))
                {
                    var newMode = fileMode.ApplyTo(status.Permission);
                    if (newMode != (status.Permission & FsMode.MaxPermission))
                    {
                        await client.SetPermissionAsync(status.Path, newMode, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
