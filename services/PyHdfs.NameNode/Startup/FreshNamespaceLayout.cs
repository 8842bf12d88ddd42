using Microsoft.Extensions.Logging;
using PyHdfs.NameNode.Namespace;

namespace PyHdfs.NameNode.Startup;

/// <summary>
/// What a freshly formatted HDFS is expected to hold, made once by the first active NameNode of a namespace that never
/// had an inode: <c>/tmp</c> (1777: everyone writes, only owners delete, as fsspec's and Hive's temp files need),
/// <c>/user</c> (755) and a home <c>/user/NAME</c> owned by each of the superuser and <see cref="NameNodeOptions.HomeDirectoryUsers"/>
/// (WebHDFS's GETHOMEDIRECTORY answers /user/NAME). Every step is an ordinary journaled mkdir, so a standby sees it too.
/// </summary>
internal static class FreshNamespaceLayout
{
    public const uint TmpPermission = 0x3FF; // 1777
    public const uint UserPermission = 0x1ED; // 755

    public static async Task CreateIfFreshAsync(FsNamespace fs, NameNodeOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        if (fs.LastInodeId != FsNamespace.RootId)
        {
            return;
        }
        var superuser = fs.Identify(options.SuperUser);
        await fs.MkdirsAsync("/tmp", createParent: true, TmpPermission, superuser, cancellationToken).ConfigureAwait(false);
        await fs.MkdirsAsync("/user", createParent: true, UserPermission, superuser, cancellationToken).ConfigureAwait(false);
        var users = options.HomeDirectoryUsers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Prepend(options.SuperUser)
            .Distinct(StringComparer.Ordinal);
        foreach (var user in users)
        {
            var home = "/user/" + user;
            await fs.MkdirsAsync(home, createParent: true, UserPermission, superuser, cancellationToken).ConfigureAwait(false);
            await fs.SetOwnerAsync(home, user, null, superuser, cancellationToken).ConfigureAwait(false);
        }
        logger.LogInformation("Fresh namespace: created /tmp (1777), /user and the home directories of {Users}", string.Join(", ", users));
    }
}
