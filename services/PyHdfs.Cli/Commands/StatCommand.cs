using System.CommandLine;
using System.Globalization;
using PyHdfs.Cli.Infrastructure;
using PyHdfs.Cli.Output;

namespace PyHdfs.Cli.Commands;

internal static class StatCommand
{
    public static Command Create()
    {
        var command = CommandBuilder.Create("stat", "Show the status of a file or directory: size, replication, blocks, live replicas, owner, permissions, time.",
            "pyhdfs stat /data/big.iso");
        var paths = new Argument<string[]>("path") { Description = "paths to show", Arity = ArgumentArity.OneOrMore };
        command.Arguments.Add(paths);
        command.SetClientAction(async (parse, client, cancellationToken) =>
        {
            foreach (var target in parse.GetRequiredValue(paths))
            {
                var s = await client.GetFileStatusAsync(TargetResolver.Remote(target), cancellationToken).ConfigureAwait(false);
                var rows = new List<(string, string)>
                {
                    ("Path", s.Path),
                    ("Type", s.IsDirectory ? "directory" : "file"),
                };
                if (s.IsDirectory)
                {
                    rows.Add(("Children", s.ChildrenCount.ToString(CultureInfo.InvariantCulture)));
                }
                else
                {
                    rows.Add(("Size", $"{s.Length} bytes ({Sizes.Human(s.Length)})"));
                    rows.Add(("Replication", s.Replication.ToString(CultureInfo.InvariantCulture)));
                    rows.Add(("Block size", Sizes.Human(s.BlockSizeBytes)));
                    rows.Add(("Blocks", s.BlockCount.ToString(CultureInfo.InvariantCulture)));
                    rows.Add(("Live replicas", $"{s.MinLiveReplicas} (fewest over the file's blocks)"));
                }
                rows.Add(("Owner", s.Owner));
                rows.Add(("Group", s.Group));
                rows.Add(("Permission", $"{Permissions.Octal(s.Permission)} ({Permissions.Symbolic(s.IsDirectory, s.Permission)})"));
                rows.Add(("Modified", s.ModificationTime.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)));
                if (!s.IsDirectory)
                {
                    rows.Add(("Accessed", s.AccessTime.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)));
                }
                rows.Add(("File id", s.FileId.ToString(CultureInfo.InvariantCulture)));
                var width = rows.Max(r => r.Item1.Length) + 1;
                foreach (var (key, value) in rows)
                {
                    Console.Out.WriteLine($"{(key + ":").PadRight(width)} {value}");
                }
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
