namespace PyHdfs.NameNode.Namespace;

/// <summary>
/// A directory. Children live in one array sorted by ordinal name (as HDFS's INodeDirectory):
/// 8 bytes per entry instead of ~48 for a tree-map node, O(log n) lookup, and a page of a
/// listing starts with one binary search for start_after. Insertion shifts the tail, which is
/// a memmove of 8 bytes per following entry.
/// </summary>
internal sealed class DirectoryInode(long id, string name, long modificationTimeMs, Ownership ownership, uint permission)
    : Inode(id, name, modificationTimeMs, ownership, permission)
{
    private static readonly Inode[] Empty = [];
    private Inode[] _children = Empty;
    private int _count;

    /// <summary>Children that are files under construction (hidden from listings and counts).</summary>
    public int HiddenChildren;

    public override bool IsDirectory => true;

    public int ChildCount => _count;

    public int VisibleChildCount => _count - HiddenChildren;

    public Inode ChildAt(int index) => _children[index];

    public Inode? Find(string name)
    {
        var index = IndexOf(name);
        return index >= 0 ? _children[index] : null;
    }

    /// <summary>Binary search: the index of the name, or the bitwise complement of its insertion point.</summary>
    public int IndexOf(string name)
    {
        int lo = 0, hi = _count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = string.CompareOrdinal(_children[mid].Name, name);
            if (c == 0)
            {
                return mid;
            }
            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return ~lo;
    }

    /// <summary>The index of the first child whose name sorts after <paramref name="name"/>.</summary>
    public int IndexAfter(string name)
    {
        var index = IndexOf(name);
        return index >= 0 ? index + 1 : ~index;
    }

    public void Add(Inode child)
    {
        var index = IndexOf(child.Name);
        if (index >= 0)
        {
            throw new InvalidOperationException($"inode {Id} already has a child named '{child.Name}'");
        }
        index = ~index;
        EnsureCapacity(_count + 1);
        Array.Copy(_children, index, _children, index + 1, _count - index);
        _children[index] = child;
        _count++;
        child.Parent = this;
        if (child is FileInode { Hidden: true })
        {
            HiddenChildren++;
        }
    }

    /// <summary>Loading only: append without ordering, then <see cref="SortChildren"/> once.</summary>
    public void AddUnsorted(Inode child)
    {
        EnsureCapacity(_count + 1);
        _children[_count++] = child;
        child.Parent = this;
        if (child is FileInode { Hidden: true })
        {
            HiddenChildren++;
        }
    }

    public void SortChildren()
    {
        Array.Sort(_children, 0, _count, ChildNameComparer.Instance);
        for (var i = 1; i < _count; i++)
        {
            if (string.Equals(_children[i - 1].Name, _children[i].Name, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"inode {Id} has two children named '{_children[i].Name}'");
            }
        }
    }

    public bool Remove(Inode child)
    {
        var index = IndexOf(child.Name);
        if (index < 0 || !ReferenceEquals(_children[index], child))
        {
            return false;
        }
        Array.Copy(_children, index + 1, _children, index, _count - index - 1);
        _children[--_count] = null!;
        child.Parent = null;
        if (child is FileInode { Hidden: true })
        {
            HiddenChildren--;
        }
        if (_count == 0)
        {
            _children = Empty;
        }
        else if (_children.Length > 16 && _count < _children.Length / 4)
        {
            Array.Resize(ref _children, _children.Length / 2);
        }
        return true;
    }

    private void EnsureCapacity(int needed)
    {
        if (_children.Length >= needed)
        {
            return;
        }
        var size = _children.Length == 0 ? 4 : _children.Length * 2;
        Array.Resize(ref _children, Math.Max(size, needed));
    }

    private sealed class ChildNameComparer : IComparer<Inode>
    {
        public static readonly ChildNameComparer Instance = new();

        public int Compare(Inode? x, Inode? y) => string.CompareOrdinal(x!.Name, y!.Name);
    }
}
