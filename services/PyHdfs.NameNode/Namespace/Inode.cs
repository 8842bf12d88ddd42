namespace PyHdfs.NameNode.Namespace;

/// <summary>
/// A node of the in-memory namespace tree. Deliberately plain fields and no full path: the path
/// is known from the request being served, and every byte here is multiplied by the file count.
/// </summary>
internal abstract class Inode(long id, string name, long modificationTimeMs, string owner, string group, uint permission)
{
    public long Id = id;
    public DirectoryInode? Parent;
    public string Name = name;
    public long ModificationTimeMs = modificationTimeMs;
    public string Owner = owner;
    public string Group = group;
    public uint Permission = permission;

    public abstract bool IsDirectory { get; }
}
