using PyHdfs.Client;

namespace PyHdfs.Cli.Commands;

/// <summary>A path, and with -R everything below it (parents before their children, as hdfs dfs -chmod -R).</summary>
internal static class TreeWalk
{
    public static async IAsyncEnumerable<DfsFileStatus> StatusesAsync(DfsClient client, string path, bool recursive,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var top = await client.GetFileStatusAsync(path, cancellationToken).ConfigureAwait(false);
        yield return top;
        if (!recursive || !top.IsDirectory)
        {
            yield break;
        }
        var pending = new Stack<string>();
        pending.Push(top.Path);
        while (pending.Count > 0)
        {
            await foreach (var entry in client.ListAsync(pending.Pop(), cancellationToken).ConfigureAwait(false))
            {
                yield return entry;
                if (entry.IsDirectory)
                {
                    pending.Push(entry.Path);
                }
            }
        }
    }
}
