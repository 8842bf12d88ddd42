namespace PyHdfs.NameNode.Namespace;

/// <summary>
/// A node of the in-memory namespace tree. Deliberately plain fields and no full path: the path
/// is known from the request being served, and every byte here is multiplied by the file count.
/// </summary>
internal abstract class Inode(long id, string name, long modificationTimeMs, Ownership ownership, uint permission)
{
    public long Id = id;
    public DirectoryInode? Parent;
    public string Name = name;
    public long ModificationTimeMs = modificationTimeMs;
    public Ownership Ownership = ownership;
    public uint Permission = permission;

    public string Owner => Ownership.Owner;

    public string Group => Ownership.Group;

    public abstract bool IsDirectory { get; }
}
