using PyHdfs.Protocol.Paths;

namespace PyHdfs.NameNode.Namespace.Permissions;

/// <summary>
/// The inodes along a normalized path (HDFS's INodesInPath): <see cref="Nodes"/>[0] is the root,
/// [i] the inode named by the first i components, null from the first missing one on (or past a
/// file, which the caller reports as NOT_A_DIRECTORY when it resolves the path itself).
/// </summary>
internal sealed class InodePath
{
    private readonly string[] _parts;

    private InodePath(string path, string[] parts, Inode?[] nodes)
    {
        Path = path;
        _parts = parts;
        Nodes = nodes;
    }

    public string Path { get; }

    public Inode?[] Nodes { get; }

    /// <summary>The inode the path names, or null when it does not exist.</summary>
    public Inode? Last => Nodes[^1];

    /// <summary>Index of the last component (0 for the root itself).</summary>
    public int LastIndex => Nodes.Length - 1;

    public static InodePath Resolve(DirectoryInode root, string normalizedPath)
    {
        var parts = DfsPath.Split(normalizedPath);
        var nodes = new Inode?[parts.Length + 1];
        nodes[0] = root;
        Inode? node = root;
        for (var i = 0; i < parts.Length && node is DirectoryInode directory; i++)
        {
            node = directory.Find(parts[i]);
            nodes[i + 1] = node;
        }
        return new InodePath(normalizedPath, parts, nodes);
    }

    /// <summary>The path of <see cref="Nodes"/>[index].</summary>
    public string PathAt(int index) => index == 0 ? "/" : "/" + string.Join('/', _parts, 0, index);
}
