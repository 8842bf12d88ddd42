using System.CommandLine;
using PyHdfs.Cli.Infrastructure;
using PyHdfs.Cli.Output;
using PyHdfs.Client;

namespace PyHdfs.Cli.Commands;

internal static class PutCommand
{
    private const int CopyBufferBytes = 1 << 20;

    public static Command Create()
    {
        var command = CommandBuilder.Create("put",
            "Copy a local file (or stdin) into PyHDFS. The file appears only once all of it is stored.",
            "pyhdfs put ./big.iso /data/big.iso",
            "pyhdfs put ./big.iso /data              # stored as /data/big.iso",
            "pyhdfs put -f -r 3 --block-size 64M ./x /data/x",
            "tar c dir | pyhdfs put - /backup/dir.tar");
        var local = new Argument<string>("local") { Description = "local file, or - to read stdin" };
        var remote = new Argument<string>("remote") { Description = "destination path, or an existing directory to store the file under its name" };
        var force = CommandBuilder.Flag("--force", "-f", "overwrite the destination if it exists");
        var replication = new Option<int?>("--replication", "-r") { Description = "replicas per block (default: the NameNode's)", HelpName = "N" };
        var blockSize = new Option<string?>("--block-size") { Description = "block size, e.g. 64M or 128M (default: the NameNode's)", HelpName = "SIZE" };
        command.Arguments.Add(local);
        command.Arguments.Add(remote);
        command.Options.Add(force);
        command.Options.Add(replication);
        command.Options.Add(blockSize);
        command.Options.Add(TraceOption.Option);
        command.SetClientAction(async (parse, client, cancellationToken) =>
        {
            var localPath = parse.GetRequiredValue(local);
            var createOptions = new DfsCreateOptions
            {
                Overwrite = parse.GetValue(force),
                Replication = parse.GetValue(replication) is { } r ? (r >= 1 ? r : throw CliException.Usage($"--replication must be at least 1 (got {r})")) : 0,
                BlockSizeBytes = parse.GetValue(blockSize) is { } b ? Sizes.Parse(b, "--block-size") : 0,
            };
            await using var input = OpenLocal(localPath, out var length);
            var remotePath = TargetResolver.Remote(parse.GetRequiredValue(remote));
            var existing = await client.TryGetFileStatusAsync(remotePath, cancellationToken).ConfigureAwait(false);
            var target = TargetResolver.PutTarget(remotePath, localPath, existing?.IsDirectory == true);
            var traceId = await UploadAsync(client, input, length, target, createOptions, cancellationToken).ConfigureAwait(false);
            TraceOption.Report(parse, traceId);
            return ExitCodes.Success;
        });
        return command;
    }

    internal static Stream OpenLocal(string localPath, out long? length)
    {
        if (localPath == "-")
        {
            length = null;
            return Console.OpenStandardInput(CopyBufferBytes);
        }
        if (Directory.Exists(localPath))
        {
            throw new CliException($"{localPath}: is a directory (only files can be put)");
        }
        if (!File.Exists(localPath))
        {
            throw new CliException($"{localPath}: no such local file");
        }
        var stream = new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan | FileOptions.Asynchronous);
        length = stream.Length;
        return stream;
    }

    private static async Task<string?> UploadAsync(DfsClient client, Stream input, long? length, string target, DfsCreateOptions options, CancellationToken cancellationToken)
    {
        var output = await client.CreateAsync(target, options, cancellationToken).ConfigureAwait(false);
        try
        {
            await TransferProgress.RunAsync($"put {target}", length, async progress =>
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
            await WarnDegradedAsync(client, output, cancellationToken).ConfigureAwait(false);
        }
        return output.TraceId;
    }

    internal static async Task WarnDegradedAsync(DfsClient client, DfsOutputStream output, CancellationToken cancellationToken)
    {
        var live = "";
        try
        {
            var stats = await client.GetFsStatsAsync(cancellationToken).ConfigureAwait(false);
            live = $" (only {stats.LiveDataNodes} live DataNode{(stats.LiveDataNodes == 1 ? "" : "s")})";
        }
        catch (DfsIOException)
        {
            // The warning stands without the live count.
        }
        Terminal.Warning($"{output.Path}: blocks stored with {output.MinReplicasWritten} of {output.ExpectedReplicas} replicas{live}; " +
            "the NameNode adds the missing replicas when DataNodes become available");
    }
}
