using System.CommandLine;
using PyHdfs.Cli.Infrastructure;

namespace PyHdfs.Cli.Commands;

internal static class ChownCommand
{
    public static Command Create()
    {
        var command = CommandBuilder.Create("chown",
            "Change the owner (and the group) of files and directories. Only the superuser (the user running the NameNode, " +
            "or a member of its supergroup) may give a file to another user. You act as $PYHDFS_USER, else as your OS user.",
            "pyhdfs chown alice /team",
            "pyhdfs chown -R alice:staff /team",
            "pyhdfs chown :staff /team/report.csv");
        var spec = new Argument<string>("owner[:group]") { Description = "the new owner, optionally with the new group (OWNER, OWNER:GROUP or :GROUP)" };
        var paths = new Argument<string[]>("path") { Description = "files or directories", Arity = ArgumentArity.OneOrMore };
        var recursive = Ownership.RecursiveOption();
        command.Arguments.Add(spec);
        command.Arguments.Add(paths);
        command.Options.Add(recursive);
        command.SetClientAction(async (parse, client, cancellationToken) =>
        {
            var text = parse.GetRequiredValue(spec);
            var colon = text.IndexOf(':');
            var owner = colon < 0 ? text : text[..colon];
            var group = colon < 0 ? "" : text[(colon + 1)..];
            if (owner.Length == 0 && group.Length == 0)
            {
                throw CliException.Usage($"'{text}': give OWNER, OWNER:GROUP or :GROUP");
            }
            if (owner.Length > 0)
            {
                Ownership.RequireName(owner, "user", text);
            }
            if (group.Length > 0)
            {
                Ownership.RequireName(group, "group", text);
            }
            await Ownership.SetAsync(client, parse.GetRequiredValue(paths), owner, group, parse.GetValue(recursive), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
