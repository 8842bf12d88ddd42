using PyHdfs.Metadata.Storage;
using PyHdfs.Protocol.Metadata;
using PyHdfs.Testing;

namespace PyHdfs.Metadata.Tests;

/// <summary>A namespace database in a fresh temp directory; <see cref="Reopen"/> closes and opens it again.</summary>
internal sealed class StoreFixture : IDisposable
{
    private readonly TempDirectory _directory = new("pyhdfs-metadata");

    public StoreFixture()
    {
        Path = _directory.Combine("nested", "namespace.db");
        Store = NamespaceStore.Open(Path, "hdfs");
    }

    public string Path { get; }

    public NamespaceStore Store { get; private set; }

    public NamespaceStore Reopen()
    {
        Store.Dispose();
        Store = NamespaceStore.Open(Path, "someone-else");
        return Store;
    }

    public void Dispose()
    {
        Store.Dispose();
        _directory.Dispose();
    }
}

/// <summary>A whole image read back into memory, with the size of every chunk it came in.</summary>
internal sealed record Image(ImageHeader Header, Dictionary<long, InodeRecord> Inodes, List<BlockRecord> Blocks, List<int> ChunkSizes)
{
    public static async Task<Image> LoadAsync(NamespaceStore store) => await FromChunksAsync(store.LoadNamespaceAsync());

    public static async Task<Image> FromChunksAsync(IAsyncEnumerable<NamespaceImageChunk> chunks)
    {
        ImageHeader? header = null;
        var inodes = new Dictionary<long, InodeRecord>();
        var blocks = new List<BlockRecord>();
        var sizes = new List<int>();
        await foreach (var chunk in chunks)
        {
            if (header is null)
            {
                Assert.NotNull(chunk.Header);
                header = chunk.Header;
            }
            else
            {
                Assert.Null(chunk.Header);
            }
            foreach (var inode in chunk.Inodes)
            {
                inodes.Add(inode.Id, inode);
            }
            blocks.AddRange(chunk.Blocks);
            sizes.Add(chunk.Inodes.Count + chunk.Blocks.Count);
        }
        Assert.NotNull(header);
        return new Image(header, inodes, blocks, sizes);
    }

    public InodeRecord Child(long parent, string name) => Inodes.Values.Single(i => i.ParentId == parent && i.Name == name);

    public List<BlockRecord> BlocksOf(long inode) => Blocks.Where(b => b.InodeId == inode).OrderBy(b => b.Index).ToList();
}
