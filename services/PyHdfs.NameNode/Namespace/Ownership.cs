namespace PyHdfs.NameNode.Namespace;

/// <summary>Owner and group of an inode. Interned by the namespace: one instance per distinct pair, one reference per inode.</summary>
internal sealed record Ownership(string Owner, string Group);
