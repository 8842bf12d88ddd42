using System.CommandLine;
using PyHdfs.Cli.Infrastructure;
using PyHdfs.Client;
using PyHdfs.Protocol.Permissions;

namespace PyHdfs.Cli.Commands;

/// <summary>What chown and chgrp share: -R and the walk that sets owner and/or group.</summary>
internal static class Ownership
{
    public static Option<bool> RecursiveOption() =>
        new("--recursive", "-R", "-r") { Description = "also every file and directory below each directory" };

    public static async Task SetAsync(DfsClient client, IEnumerable<string> targets, string? owner, string? group, bool recursive,
        CancellationToken cancellationToken)
    {
        foreach (var target in targets)
        {
            var path = TargetResolver.Remote(target);
            await foreach (var status in TreeWalk.StatusesAsync(client, path, recursive, cancellationToken).ConfigureAwait(false))
            {
                await client.SetOwnerAsync(status.Path, owner, group, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A user or group name as the NameNode accepts it (<see cref="FsMode.ValidateName"/>): not empty, no spaces, ':' or '/'.</summary>
    public static string RequireName(string name, string what, string argument) =>
        FsMode.ValidateName(name) is null
            ? name
            : throw CliException.Usage($"{argument}: '{name}' is not a valid {what} name");
}
