using System.CommandLine;
using PyHdfs.Cli.Infrastructure;
using PyHdfs.Cli.Output;

namespace PyHdfs.Cli.Commands;

/// <summary>hdfs dfs -truncate [-w] LENGTH PATH...</summary>
internal static class TruncateCommand
{
    public static Command Create()
    {
        var command = CommandBuilder.Create("truncate",
            "Cut files to a length (bytes, or a size like 64M). A cut on a block boundary drops the later blocks; a cut inside a block " +
            "rewrites the kept part of that block as a new one. The command returns once the file has its new length; " +
            "if it fails, the file keeps its old length and content. A length beyond the end of a file is an error.",
            "pyhdfs truncate 1048576 /logs/app.log",
            "pyhdfs truncate -w 0 /scratch/a /scratch/b");
        var wait = CommandBuilder.Flag("--wait", "-w", "wait until the cut is complete (always the case: accepted for Hadoop compatibility)");
        var length = new Argument<string>("length") { Description = "the new length: bytes, or a size such as 64M" };
        var paths = new Argument<string[]>("path") { Description = "files to truncate", Arity = ArgumentArity.OneOrMore };
        command.Options.Add(wait);
        command.Arguments.Add(length);
        command.Arguments.Add(paths);
        command.SetClientAction(async (parse, client, cancellationToken) =>
        {
            var newLength = Sizes.Parse(parse.GetRequiredValue(length), "length");
            foreach (var target in parse.GetRequiredValue(paths))
            {
                var path = TargetResolver.Remote(target);
                var atOnce = await client.TruncateAsync(path, newLength, cancellationToken).ConfigureAwait(false);
                Console.Out.WriteLine(atOnce
                    ? $"Truncated {path} to length: {newLength}"
                    : $"Truncated {path} to length: {newLength} (the last block was rewritten)");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
