using System.CommandLine;
using System.Globalization;
using PyHdfs.Cli.Infrastructure;
using PyHdfs.Client;

namespace PyHdfs.Cli.Commands;

/// <summary>fsck: the files under a path with under-replicated, corrupt or missing blocks; last line HEALTHY or CORRUPT.</summary>
internal static class FsckCommand
{
    public static Command Create()
    {
        var command = CommandBuilder.Create("fsck",
            "Check the blocks of every file under a path: lists the files with under-replicated, over-replicated, corrupt or missing blocks, " +
            "then a summary. The last line is HEALTHY (exit code 0) or CORRUPT (exit code 1: some block has no good replica).",
            "pyhdfs fsck /",
            "pyhdfs fsck /data");
        var path = new Argument<string>("path") { Description = "the file or directory to check", DefaultValueFactory = _ => "/" };
        command.Arguments.Add(path);
        command.SetClientAction(async (parse, client, cancellationToken) =>
        {
            var target = TargetResolver.Remote(parse.GetRequiredValue(path));
            var report = await client.FsckAsync(target, cancellationToken).ConfigureAwait(false);
            var output = Console.Out;
            foreach (var file in report.Files)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file.Path}: {file.Length} bytes, replication {file.Replication}"));
                foreach (var block in file.Blocks)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {block.Name} {Describe(block.Health)}: {block.LiveReplicas} good live of {block.ExpectedReplicas}, {block.CorruptReplicas} corrupt [{string.Join(",", block.DataNodeIds)}]"));
                }
            }
            if (report.Files.Count > 0)
            {
                output.WriteLine();
            }
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Files: {report.TotalFiles}, directories: {report.TotalDirectories}, blocks: {report.TotalBlocks}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Under-replicated blocks: {report.UnderReplicatedBlocks}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Over-replicated blocks: {report.OverReplicatedBlocks}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Corrupt blocks: {report.CorruptBlocks}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Missing blocks: {report.MissingBlocks}"));
            output.WriteLine($"The filesystem under path '{target}' is {(report.Healthy ? "HEALTHY" : "CORRUPT")}");
            output.WriteLine(report.Healthy ? "HEALTHY" : "CORRUPT");
            return report.Healthy ? ExitCodes.Success : ExitCodes.Error;
        });
        return command;
    }

    private static string Describe(DfsBlockHealth health) => health switch
    {
        DfsBlockHealth.UnderReplicated => "UNDER-REPLICATED",
        DfsBlockHealth.OverReplicated => "OVER-REPLICATED",
        DfsBlockHealth.Corrupt => "CORRUPT",
        DfsBlockHealth.Missing => "MISSING",
        _ => "HEALTHY",
    };
}
