using PyHdfs.NameNode.Tests.Support;
using PyHdfs.Protocol.Metadata;
using static PyHdfs.NameNode.Tests.Permissions.PermissionScenario;

namespace PyHdfs.NameNode.Tests.Permissions;

/// <summary>chmod and chown are journaled: a standby replaying the journal, or a restart loading the image, sees them.</summary>
public sealed class PermissionPersistenceTests
{
    [Fact]
    public async Task Replaying_the_journal_restores_owners_groups_and_modes()
    {
        var s = await CreateAsync();
        await s.H.Fs.SetPermissionAsync("/d", 0x3E8, s.As(Owner), Token); // 1750
        await s.H.Fs.SetOwnerAsync("/d/f", null, "dev", s.As(Owner), Token);
        await s.H.Fs.SetPermissionAsync("/d/f", 0, s.As(Owner), Token);

        var replica = new NamespaceHarness();
        foreach (var entry in s.H.Log.Entries)
        {
            replica.Fs.ApplyJournaled(entry.Op);
        }

        Assert.Contains("/d id=2 ", replica.Fs.DumpTree());
        Assert.Contains("owner:staff 1750", replica.Fs.DumpTree());
        Assert.Contains("owner:dev 0", replica.Fs.DumpTree());
        Assert.Equal(s.Tree[s.Tree.IndexOf("/d id=", StringComparison.Ordinal)..], replica.Fs.DumpTree()[replica.Fs.DumpTree().IndexOf("/d id=", StringComparison.Ordinal)..]);
    }

    [Fact]
    public void Loading_an_image_keeps_a_mode_of_000()
    {
        var h = new NamespaceHarness();
        h.Fs.LoadImage(new ImageHeader { LastInodeId = 3 },
        [
            new InodeRecord { Id = 1, Kind = InodeKind.Directory, Owner = "hdfs", Group = "supergroup", Permission = 0x1ED },
            new InodeRecord { Id = 2, ParentId = 1, Name = "locked", Kind = InodeKind.Directory, Owner = "bob", Group = "staff", Permission = 0 },
            new InodeRecord { Id = 3, ParentId = 2, Name = "f", Kind = InodeKind.File, Owner = "bob", Group = "staff", Permission = 0, Replication = 2, BlockSize = NamespaceHarness.BlockSize },
        ], []);
        Assert.Equal(0u, h.Fs.GetFileInfo("/locked").Permission);
        Assert.Equal(0u, h.Fs.GetFileInfo("/locked/f").Permission);
        Assert.Equal(("hdfs", 0x1EDu), (h.Fs.GetFileInfo("/").Owner, h.Fs.GetFileInfo("/").Permission));
    }
}
