using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.Metadata;
using static PyHdfs.Metadata.Tests.Ops;

namespace PyHdfs.Metadata.Tests;

public sealed class ImageAndJournalTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    /// <summary>Appends <paramref name="count"/> directories under the root in batches; returns the last txid.</summary>
    private static async Task<long> AppendDirectoriesAsync(Storage.NamespaceStore store, long firstInode, int count, int batch = 5_000)
    {
        var txid = store.LastTxid + 1;
        for (var done = 0; done < count; done += batch)
        {
            var ops = Enumerable.Range(done, Math.Min(batch, count - done))
                .Select(i => Mkdir(firstInode + i, Root, $"d{firstInode + i}")).ToArray();
            await store.AppendAsync(1, Entries(txid, ops));
            txid += ops.Length;
        }
        return txid - 1;
    }

    [Fact]
    public async Task The_image_comes_in_chunks_of_at_most_ten_thousand_records_after_a_header()
    {
        using var fixture = new StoreFixture();
        await AppendDirectoriesAsync(fixture.Store, firstInode: 2, count: 25_001);
        await fixture.Store.AppendAsync(1, Entries(fixture.Store.LastTxid + 1,
            CreateFile(30_000, Root, "f"), AddBlock(30_000, Block(FirstBlock + 1, 1001))));

        var image = await Image.LoadAsync(fixture.Store);

        Assert.Equal(0, image.ChunkSizes[0]); // the header chunk
        Assert.Equal([10_000, 10_000, 5_003, 1], image.ChunkSizes.Skip(1));
        Assert.Equal(25_003, image.Header.InodeCount);
        Assert.Equal(25_003, image.Inodes.Count);
        Assert.Equal(1, image.Header.BlockCount);
        Assert.Equal(30_000, image.Header.LastInodeId);
    }

    [Fact]
    public async Task An_image_is_one_consistent_snapshot_even_while_appends_commit()
    {
        using var fixture = new StoreFixture();
        var last = await AppendDirectoriesAsync(fixture.Store, firstInode: 2, count: 12_000);
        await using var chunks = fixture.Store.LoadNamespaceAsync(chunkSize: 1_000).GetAsyncEnumerator();
        Assert.True(await chunks.MoveNextAsync());
        var header = chunks.Current.Header;

        // Commit more while the image is being read.
        await fixture.Store.AppendAsync(1, Entries(last + 1, Mkdir(50_000, Root, "late"), Delete(2)));
        var inodes = new List<InodeRecord>();
        while (await chunks.MoveNextAsync())
        {
            Assert.InRange(chunks.Current.Inodes.Count, 1, 1_000);
            inodes.AddRange(chunks.Current.Inodes);
        }

        Assert.Equal(last, header.LastTxid);
        Assert.Equal(header.InodeCount, inodes.Count);
        Assert.DoesNotContain(inodes, i => i.Id == 50_000);
        Assert.Contains(inodes, i => i.Id == 2);
    }

    [Fact]
    public async Task Reading_the_journal_returns_entries_from_the_asked_txid_then_ends()
    {
        using var fixture = new StoreFixture();
        await fixture.Store.AppendAsync(4, Entries(1, Mkdir(2, Root, "a"), Mkdir(3, Root, "b"), Mkdir(4, Root, "c")));

        var entries = await fixture.Store.ReadJournalAsync(2, follow: false).ToListAsync();

        Assert.Equal([2L, 3L], entries.Select(e => e.Txid));
        Assert.All(entries, e => Assert.Equal(4, e.Epoch));
        Assert.Equal("b", entries[0].Op.Mkdir.Name);
    }

    [Fact]
    public async Task Reading_a_long_journal_crosses_batch_boundaries()
    {
        using var fixture = new StoreFixture();
        var last = await AppendDirectoriesAsync(fixture.Store, firstInode: 2, count: 2_500);

        var txids = await fixture.Store.ReadJournalAsync(0, follow: false).Select(e => e.Txid).ToListAsync();

        Assert.Equal(Enumerable.Range(1, (int)last).Select(i => (long)i), txids);
    }

    [Fact]
    public async Task Following_the_journal_delivers_entries_as_they_commit()
    {
        using var fixture = new StoreFixture();
        await fixture.Store.AppendAsync(1, Entries(1, Mkdir(2, Root, "a")));
        using var stop = new CancellationTokenSource();
        await using var follower = fixture.Store.ReadJournalAsync(1, follow: true, stop.Token).GetAsyncEnumerator();

        Assert.True(await follower.MoveNextAsync().AsTask().WaitAsync(Deadline));
        Assert.Equal(1, follower.Current.Txid);
        var waiting = follower.MoveNextAsync().AsTask();
        Assert.False(waiting.IsCompleted);

        await fixture.Store.AppendAsync(1, Entries(2, Mkdir(3, Root, "b"), Mkdir(4, Root, "c")));

        Assert.True(await waiting.WaitAsync(Deadline));
        Assert.Equal(2, follower.Current.Txid);
        Assert.True(await follower.MoveNextAsync().AsTask().WaitAsync(Deadline));
        Assert.Equal("c", follower.Current.Op.Mkdir.Name);

        var next = follower.MoveNextAsync().AsTask();
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(Deadline));
    }

    [Fact]
    public async Task Trimming_keeps_the_newest_entries_and_the_tables_whole()
    {
        using var fixture = new StoreFixture();
        var last = await AppendDirectoriesAsync(fixture.Store, firstInode: 2, count: 20, batch: 3);

        var trimmed = await fixture.Store.TrimJournalAsync(retainEntries: 5, batchSize: 4);

        Assert.Equal(15, trimmed);
        var status = fixture.Store.GetStatus();
        Assert.Equal(5, status.JournalEntries);
        Assert.Equal(last - 4, status.FirstJournalTxid);
        Assert.Equal(21, status.InodeCount);
        Assert.Equal([16L, 17L, 18L, 19L, 20L], await fixture.Store.ReadJournalAsync(16, false).Select(e => e.Txid).ToListAsync());
        var error = await Assert.ThrowsAsync<DfsException>(async () => await fixture.Store.ReadJournalAsync(3, false).ToListAsync());
        Assert.Contains("trimmed", error.Message);
        // A retry of a trimmed txid cannot be verified, so it is refused rather than silently accepted.
        await Assert.ThrowsAsync<DfsException>(() => fixture.Store.AppendAsync(1, Entries(1, Mkdir(2, Root, "d2"))));
        Assert.Equal(last + 1, await fixture.Store.AppendAsync(1, Entries(last + 1, Mkdir(100, Root, "more"))));
    }

    [Fact]
    public async Task A_reader_overtaken_by_trimming_fails_instead_of_skipping_entries()
    {
        using var fixture = new StoreFixture();
        await AppendDirectoriesAsync(fixture.Store, firstInode: 2, count: 2_500);
        await using var reader = fixture.Store.ReadJournalAsync(1, follow: false).GetAsyncEnumerator();
        Assert.True(await reader.MoveNextAsync()); // the first batch (txids 1..1000) is read

        await fixture.Store.TrimJournalAsync(retainEntries: 5);

        var seen = 1;
        var error = await Assert.ThrowsAsync<DfsException>(async () =>
        {
            while (await reader.MoveNextAsync())
            {
                Assert.Equal(++seen, reader.Current.Txid);
            }
        });
        Assert.Equal(1_000, seen);
        Assert.Contains("from txid 1001 were trimmed", error.Message);
    }

    [Fact]
    public async Task Status_reports_counts_and_the_database_path()
    {
        using var fixture = new StoreFixture();
        await fixture.Store.NewEpochAsync(2, "nn");
        await fixture.Store.AppendAsync(2, Entries(1, CreateFile(2, Root, "f"), AddBlock(2, Block(FirstBlock + 1, 1001))));

        var status = fixture.Store.GetStatus();

        Assert.Equal(2, status.LastTxid);
        Assert.Equal(2, status.PromisedEpoch);
        Assert.Equal(2, status.JournalEntries);
        Assert.Equal(1, status.FirstJournalTxid);
        Assert.Equal(2, status.InodeCount);
        Assert.Equal(1, status.BlockCount);
        Assert.Equal(Path.GetFullPath(fixture.Path), status.DatabasePath);
    }

    [Fact(Explicit = true)] // a scale check (about a minute on 2 cores): run with -explicit only
    public async Task One_million_inodes_load_as_a_stream_of_chunks()
    {
        using var fixture = new StoreFixture();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await AppendDirectoriesAsync(fixture.Store, firstInode: 2, count: 1_000_000, batch: 10_000);
        var appendTime = clock.Elapsed;
        clock.Restart();
        long inodes = 0;
        var chunks = 0;
        await foreach (var chunk in fixture.Store.LoadNamespaceAsync())
        {
            Assert.InRange(chunk.Inodes.Count, 0, 10_000);
            inodes += chunk.Inodes.Count;
            chunks++;
        }
        TestContext.Current.SendDiagnosticMessage($"append 1M: {appendTime.TotalSeconds:0.0} s, load: {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(1_000_001, inodes);
        Assert.Equal(1 + 101, chunks);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"loading 1M inodes took {clock.Elapsed}");
    }
}
