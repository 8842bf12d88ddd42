using System.CommandLine;
using PyHdfs.Cli.Infrastructure;
using PyHdfs.Cli.Output;
using PyHdfs.Client;

namespace PyHdfs.Cli.Commands;

internal static class GetCommand
{
    public static Command Create()
    {
        var command = CommandBuilder.Create("get",
            "Copy a PyHDFS file to a local file, or to stdout. Every chunk is verified against its checksum.",
            "pyhdfs get /data/big.iso ./copy.iso",
            "pyhdfs get /data/big.iso ./downloads     # stored as ./downloads/big.iso",
            "pyhdfs get /data/log.txt | grep ERROR");
        var remote = new Argument<string>("remote") { Description = "the file to read" };
        var local = new Argument<string?>("local") { Description = "local destination (file or existing directory); omitted or - for stdout", Arity = ArgumentArity.ZeroOrOne };
        var force = CommandBuilder.Flag("--force", "-f", "overwrite an existing local file");
        command.Arguments.Add(remote);
        command.Arguments.Add(local);
        command.Options.Add(force);
        command.Options.Add(TraceOption.Option);
        command.SetClientAction(async (parse, client, cancellationToken) =>
        {
            var remotePath = TargetResolver.Remote(parse.GetRequiredValue(remote));
            var target = TargetResolver.GetTarget(remotePath, parse.GetValue(local), Directory.Exists);
            if (target is not null && File.Exists(target) && !parse.GetValue(force))
            {
                throw new CliException($"{target}: local file exists (use -f to overwrite)");
            }
            await using var input = await client.OpenAsync(remotePath, cancellationToken).ConfigureAwait(false);
            if (target is null)
            {
                await using var stdout = Console.OpenStandardOutput();
                await CopyAsync(input, stdout, $"get {remotePath}", input.Length, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await DownloadAsync(input, target, remotePath, cancellationToken).ConfigureAwait(false);
            }
            TraceOption.Report(parse, input.TraceId);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Writes to a temporary file beside the target and renames it at the end, so a failed get leaves nothing behind.</summary>
    private static async Task DownloadAsync(DfsInputStream input, string target, string remotePath, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(target);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.pyhdfs-part-{Environment.ProcessId}");
        try
        {
            await using (var output = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
            {
                await CopyAsync(input, output, $"get {remotePath}", input.Length, cancellationToken).ConfigureAwait(false);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    internal static Task CopyAsync(Stream input, Stream output, string description, long length, CancellationToken cancellationToken) =>
        TransferProgress.RunAsync(description, length, async progress =>
        {
            var buffer = new byte[1 << 20];
            int read;
            while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                progress(read);
            }
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        });
}
