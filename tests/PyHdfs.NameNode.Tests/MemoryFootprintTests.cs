using PyHdfs.NameNode.Tests.Support;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Metadata;

namespace PyHdfs.NameNode.Tests;

/// <summary>Runs alone: it measures the whole process's heap.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class MemoryFootprintCollection;

[Collection(typeof(MemoryFootprintCollection))]
public sealed class MemoryFootprintTests
{
    private const int GuardBytesPerFile = 480;

    /// <summary>
    /// A regression guard on the in-memory layout, measured on 10^5 complete single-block files
    /// with two replicas each (names of 12 characters, 100 files per directory). The product
    /// target (at most 400 bytes per file at 10^6 files) is measured and reported by the
    /// benchmark, not asserted here: the figure sits close to it (about 400 bytes), and a unit
    /// test at the exact bar would fail on noise. A layout change that adds a field per inode or
    /// per block moves the figure well past the guard.
    /// </summary>
    [Fact]
    public void A_complete_single_block_file_with_two_replicas_stays_within_the_memory_guard()
    {
        const int files = 100_000;
        var h = new NamespaceHarness(dataNodes: 0);
        long inode = 1, block = 1L << 30;
        for (var d = 0; d < files / 100; d++)
        {
            h.Fs.ApplyJournaled(new NamespaceOp { Mkdir = new MkdirOp { InodeId = ++inode, ParentId = 1, Name = $"dir-{d:D6}" } });
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);

        for (var i = 0; i < files; i++)
        {
            var parent = 2 + i / 100;
            var id = ++inode;
            var blockId = ++block;
            h.Fs.ApplyJournaled(new NamespaceOp { CreateFile = new CreateFileOp { InodeId = id, ParentId = parent, Name = $"part-{i:D7}", Replication = 2, BlockSize = 1 << 20, ClientName = "writer" } });
            h.Fs.ApplyJournaled(new NamespaceOp { AddBlock = new AddBlockOp { InodeId = id, Block = new BlockRef { BlockId = blockId, GenerationStamp = 1000 } } });
            var complete = new CompleteFileOp { InodeId = id };
            complete.Blocks.Add(new BlockRef { BlockId = blockId, GenerationStamp = 1000, NumBytes = 4096 });
            h.Fs.ApplyJournaled(new NamespaceOp { CompleteFile = complete });
            var replica = new BlockRef { BlockId = blockId, GenerationStamp = 1000, NumBytes = 4096 };
            h.Fs.BlockReceivedAndDeleted("datanode-0001", [replica], []);
            h.Fs.BlockReceivedAndDeleted("datanode-0002", [replica], []);
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        var perFile = (after - before) / (double)files;
        Assert.Equal(files, h.Fs.Counts().Files);
        Assert.True(perFile <= GuardBytesPerFile, $"{perFile:0} bytes per file (guard {GuardBytesPerFile})");
        TestContext.Current.SendDiagnosticMessage($"{perFile:0} bytes per file");
        GC.KeepAlive(h);
    }
}
