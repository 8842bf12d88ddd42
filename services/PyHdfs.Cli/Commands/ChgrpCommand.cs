using System.CommandLine;
using PyHdfs.Cli.Infrastructure;

namespace PyHdfs.Cli.Commands;

internal static class ChgrpCommand
{
    public static Command Create()
    {
        var command = CommandBuilder.Create("chgrp",
            "Change the group of files and directories. The owner may choose one of its own groups (as the NameNode resolves them); " +
            "the superuser any group. You act as $PYHDFS_USER, else as your OS user.",
            "pyhdfs chgrp staff /team",
            "pyhdfs chgrp -R dev /team/src");
        var group = new Argument<string>("group") { Description = "the new group" };
        var paths = new Argument<string[]>("path") { Description = "files or directories", Arity = ArgumentArity.OneOrMore };
        var recursive = Ownership.RecursiveOption();
        command.Arguments.Add(group);
        command.Arguments.Add(paths);
        command.Options.Add(recursive);
        command.SetClientAction(async (parse, client, cancellationToken) =>
        {
            var name = Ownership.RequireName(parse.GetRequiredValue(group), "group", "group");
            await Ownership.SetAsync(client, parse.GetRequiredValue(paths), null, name, parse.GetValue(recursive), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
