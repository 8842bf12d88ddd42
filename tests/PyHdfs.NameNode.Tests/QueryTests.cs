using PyHdfs.NameNode.Tests.Support;
using PyHdfs.Protocol;
using PyHdfs.Protocol.NameNode;
using static PyHdfs.NameNode.Tests.Support.NamespaceHarness;

namespace PyHdfs.NameNode.Tests;

public sealed class QueryTests
{
    [Fact]
    public async Task Listing_is_in_ordinal_name_order_and_pages_by_start_after()
    {
        var h = new NamespaceHarness();
        foreach (var name in new[] { "b", "a", "C", "c", "aa", "d" })
        {
            await h.MkdirsAsync("/dir/" + name);
        }
        var first = h.Fs.GetListing("/dir", null, 4);
        Assert.Equal(["C", "a", "aa", "b"], first.Entries.Select(e => e.Name));
        Assert.True(first.HasMore);
        Assert.Equal("/dir/C", first.Entries[0].Path);
        Assert.Equal("/dir", first.Self.Path);
        Assert.Equal(6, first.Self.ChildrenCount);

        var second = h.Fs.GetListing("/dir", "b", 4);
        Assert.Equal(["c", "d"], second.Entries.Select(e => e.Name));
        Assert.False(second.HasMore);

        var fromMissingName = h.Fs.GetListing("/dir", "ab", 1);
        Assert.Equal(["b"], fromMissingName.Entries.Select(e => e.Name));
        Assert.True(fromMissingName.HasMore);
    }

    [Fact]
    public async Task A_huge_listing_limit_is_clamped_to_the_maximum_page_size()
    {
        var h = new NamespaceHarness(configure: o => o.MaxListingPageSize = 3);
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            await h.MkdirsAsync("/many/" + name);
        }
        var page = h.Fs.GetListing("/many", null, int.MaxValue);
        Assert.Equal(["a", "b", "c"], page.Entries.Select(e => e.Name));
        Assert.True(page.HasMore);
    }

    [Fact]
    public async Task Listing_hides_files_under_construction_even_at_a_page_boundary()
    {
        var h = new NamespaceHarness();
        await h.WriteFileAsync("/d/a", 1);
        await h.CreateAsync("/d/b");
        await h.CreateAsync("/d/c");
        var page = h.Fs.GetListing("/d", null, 1);
        Assert.Equal(["a"], page.Entries.Select(e => e.Name));
        Assert.False(page.HasMore);
        Assert.Equal(1, page.Self.ChildrenCount);
    }

    [Fact]
    public async Task Listing_a_file_gives_that_file_and_a_missing_path_is_not_found()
    {
        var h = new NamespaceHarness();
        await h.WriteFileAsync("/f", 12);
        var listing = h.Fs.GetListing("/f", null, 0);
        Assert.Equal("/f", Assert.Single(listing.Entries).Path);
        Assert.Equal(12, listing.Entries[0].Length);
        Throws(ErrorKind.FileNotFound, () => h.Fs.GetListing("/g", null, 0));
        Throws(ErrorKind.InvalidArgument, () => h.Fs.GetListing("/", null, -1));
    }

    [Fact]
    public async Task Content_summary_counts_visible_files_and_directories()
    {
        var h = new NamespaceHarness();
        await h.WriteFileAsync("/top/a", 100, 50);
        await h.WriteFileAsync("/top/sub/b", 10);
        await h.CreateAsync("/top/sub/open");
        var summary = h.Fs.GetContentSummary("/top");
        Assert.Equal(160, summary.Length);
        Assert.Equal(2, summary.FileCount);
        Assert.Equal(2, summary.DirectoryCount);
        Assert.Equal(320, summary.SpaceConsumed);
        Assert.Equal(1, h.Fs.GetContentSummary("/top/a").FileCount);
    }

    [Fact]
    public async Task Block_locations_cover_the_requested_range_with_live_replicas_only()
    {
        var h = new NamespaceHarness();
        await h.WriteFileAsync("/f", BlockSize, BlockSize, 100);
        var all = h.Fs.GetBlockLocations("/f", 0, 0);
        Assert.Equal([0, BlockSize, 2 * BlockSize], all.Blocks.Select(b => b.Offset));
        Assert.All(all.Blocks, b => Assert.Equal(2, b.Locations.Count));
        Assert.Equal(2 * BlockSize + 100, all.Status.Length);

        var middle = h.Fs.GetBlockLocations("/f", BlockSize + 1, 10);
        Assert.Equal(BlockSize, Assert.Single(middle.Blocks).Offset);

        var dead = all.Blocks[0].Locations[0].Id;
        h.KillDataNode(dead);
        var after = h.Fs.GetBlockLocations("/f", 0, 1);
        Assert.DoesNotContain(after.Blocks[0].Locations, l => l.Id == dead);
        Assert.Single(after.Blocks[0].Locations);
        Assert.Equal(1, h.Fs.GetFileInfo("/f").MinLiveReplicas);
    }

    [Fact]
    public async Task Block_locations_of_a_directory_is_a_directory()
    {
        var h = new NamespaceHarness();
        await h.MkdirsAsync("/d");
        var e = Throws(ErrorKind.IsADirectory, () => h.Fs.GetBlockLocations("/d", 0, 0));
        Assert.Equal("/d: is a directory", e.Message);
    }

    [Fact]
    public async Task Bad_replicas_are_no_longer_offered_while_good_ones_exist()
    {
        var h = new NamespaceHarness();
        await h.WriteFileAsync("/f", 10);
        var block = h.Fs.GetBlockLocations("/f", 0, 0).Blocks[0];
        var bad = block.Locations[0].Id;
        h.Fs.ReportBadBlocks([new BadReplica { Block = block.Block, DatanodeId = bad, Reason = "crc" }]);
        var after = h.Fs.GetBlockLocations("/f", 0, 0).Blocks[0];
        Assert.DoesNotContain(after.Locations, l => l.Id == bad);
        Assert.False(after.Corrupt);
    }

    [Fact]
    public async Task Fs_stats_sum_live_datanodes_and_count_the_namespace()
    {
        var h = new NamespaceHarness(dataNodes: 2);
        await h.WriteFileAsync("/a/f", 10);
        h.AddDataNode("dn3");
        h.KillDataNode("dn3");
        var stats = h.Fs.GetFsStats();
        Assert.Equal(2, stats.LiveDatanodes);
        Assert.Equal(1, stats.DeadDatanodes);
        Assert.Equal(2 * (20L << 30), stats.CapacityBytes);
        Assert.Equal(2 * (10L << 30), stats.RemainingBytes);
        Assert.Equal(1, stats.TotalFiles);
        Assert.Equal(2, stats.TotalDirectories);
        Assert.Equal(1, stats.TotalBlocks);
        Assert.Equal(0, stats.UnderReplicatedBlocks);
    }
}
