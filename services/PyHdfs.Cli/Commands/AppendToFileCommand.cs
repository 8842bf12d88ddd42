using System.CommandLine;
using PyHdfs.Cli.Infrastructure;
using PyHdfs.Cli.Output;
using PyHdfs.Client;

namespace PyHdfs.Cli.Commands;

/// <summary>hdfs dfs -appendToFile: adds a local file (or stdin) at the end of a PyHDFS file, creating it when missing.</summary>
internal static class AppendToFileCommand
{
    private const int CopyBufferBytes = 1 << 20;

    public static Command Create()
    {
        var command = CommandBuilder.Create("appendToFile",
            "Append a local file (or stdin) to the end of a PyHDFS file; a missing destination is created. " +
            "Readers see the old content until the whole appended part is stored; if the append fails, the file stays as it was. " +
            "The new bytes start a new block (the file's last block is not reopened).",
            "pyhdfs appendToFile ./more.log /logs/app.log",
            "echo 'one more line' | pyhdfs appendToFile - /logs/app.log");
        var local = new Argument<string>("local") { Description = "local file, or - to read stdin" };
        var remote = new Argument<string>("dst") { Description = "the PyHDFS file to append to" };
        command.Arguments.Add(local);
        command.Arguments.Add(remote);
        command.Options.Add(TraceOption.Option);
        command.SetClientAction(async (parse, client, cancellationToken) =>
        {
            var localPath = parse.GetRequiredValue(local);
            await using var input = PutCommand.OpenLocal(localPath, out var length);
            var target = TargetResolver.Remote(parse.GetRequiredValue(remote));
            var existing = await client.TryGetFileStatusAsync(target, cancellationToken).ConfigureAwait(false);
            var output = existing is null
                ? await client.CreateAsync(target, new DfsCreateOptions(), cancellationToken).ConfigureAwait(false)
                : await client.AppendAsync(target, cancellationToken).ConfigureAwait(false);
            try
            {
                await TransferProgress.RunAsync($"appendToFile {target}", length, async progress =>
                {
                    var buffer = new byte[CopyBufferBytes];
                    int read;
                    while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        progress(read);
                    }
                    await output.CloseAsync(cancellationToken).ConfigureAwait(false);
                }).ConfigureAwait(false);
            }
            catch
            {
                await output.AbortAsync().ConfigureAwait(false);
                throw;
            }
            if (output.IsDegraded)
            {
                await PutCommand.WarnDegradedAsync(client, output, cancellationToken).ConfigureAwait(false);
            }
            TraceOption.Report(parse, output.TraceId);
            return ExitCodes.Success;
        });
        return command;
    }
}
