using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using static PyHdfs.Metadata.Tests.Ops;

namespace PyHdfs.Metadata.Tests;

public sealed class EpochAndRestartTests
{
    [Fact]
    public async Task A_new_epoch_fences_every_older_writer()
    {
        using var fixture = new StoreFixture();
        await fixture.Store.NewEpochAsync(1, "nn-1");
        await fixture.Store.AppendAsync(1, Entries(1, Mkdir(2, Root, "a")));

        var promised = await fixture.Store.NewEpochAsync(2, "nn-2");
        var stale = await Assert.ThrowsAsync<DfsException>(() => fixture.Store.AppendAsync(1, Entries(2, Mkdir(3, Root, "b"))));
        var staleEpoch = await Assert.ThrowsAsync<DfsException>(() => fixture.Store.NewEpochAsync(1, "nn-1"));

        Assert.Equal(2, promised.PromisedEpoch);
        Assert.Equal(1, promised.LastTxid);
        Assert.Equal(ErrorKind.Fenced, stale.Kind);
        Assert.Contains("epoch 1", stale.Message);
        Assert.Contains("epoch 2", stale.Message);
        Assert.Equal(ErrorKind.Fenced, staleEpoch.Kind);
        Assert.Equal(1, fixture.Store.LastTxid);
        Assert.Equal(2, await fixture.Store.AppendAsync(2, Entries(2, Mkdir(3, Root, "b"))));
    }

    [Fact]
    public async Task An_append_with_a_higher_epoch_raises_the_promise()
    {
        using var fixture = new StoreFixture();
        await fixture.Store.NewEpochAsync(1, "nn-1");

        await fixture.Store.AppendAsync(3, Entries(1, Mkdir(2, Root, "a")));

        Assert.Equal(3, fixture.Store.PromisedEpoch);
        await Assert.ThrowsAsync<DfsException>(() => fixture.Store.AppendAsync(2, Entries(2, Mkdir(3, Root, "b"))));
    }

    [Fact]
    public async Task Namespace_counters_and_promise_survive_a_restart()
    {
        using var fixture = new StoreFixture();
        await fixture.Store.NewEpochAsync(7, "nn-1");
        await fixture.Store.AppendAsync(7, Entries(1,
            Mkdir(2, Root, "a"),
            CreateFile(5, 2, "f"),
            AddBlock(5, Block(FirstBlock + 9, 1042))));
        var before = await Image.LoadAsync(fixture.Store);

        var store = fixture.Reopen();

        var after = await Image.LoadAsync(store);
        Assert.Equal(before.Header, after.Header);
        Assert.Equal(3, after.Header.LastTxid);
        Assert.Equal(7, after.Header.PromisedEpoch);
        Assert.Equal(5, after.Header.LastInodeId);
        Assert.Equal(FirstBlock + 9, after.Header.LastBlockId);
        Assert.Equal(1042, after.Header.LastGenerationStamp);
        Assert.Equal(before.Inodes, after.Inodes);
        Assert.Equal(before.Blocks, after.Blocks);
        Assert.Equal("hdfs", after.Inodes[Root].Owner); // the seed is not repeated on reopen
        await Assert.ThrowsAsync<DfsException>(() => store.AppendAsync(6, Entries(4, Mkdir(6, Root, "late"))));
        Assert.Equal(4, await store.AppendAsync(7, Entries(4, Mkdir(6, Root, "next"))));
    }

    [Fact]
    public async Task The_database_is_in_wal_mode_with_full_sync()
    {
        using var fixture = new StoreFixture();
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={fixture.Path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        Assert.True(File.Exists(fixture.Path + "-wal"));
        Assert.Equal(2, fixture.Store.WriterSynchronousMode()); // FULL
    }
}
