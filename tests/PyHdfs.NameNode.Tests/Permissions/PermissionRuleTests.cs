using PyHdfs.Protocol;
using PyHdfs.Protocol.NameNode;
using static PyHdfs.NameNode.Tests.Permissions.PermissionScenario;
using static PyHdfs.NameNode.Tests.Support.NamespaceHarness;

namespace PyHdfs.NameNode.Tests.Permissions;

/// <summary>The rules beyond the matrix: messages, traversal, subtrees, the sticky bit, new inodes, and who may be whom.</summary>
public sealed class PermissionRuleTests
{
    [Fact]
    public async Task A_refusal_names_the_requested_path_the_user_the_missing_right_and_the_inode()
    {
        var s = await CreateAsync();
        var e = await ThrowsAsync(ErrorKind.PermissionDenied,
            () => s.H.Fs.CreateAsync(new CreateRequest { Path = "/d/new", ClientName = "w" }, s.As(Stranger), Token));
        Assert.Equal("/d/new: permission denied: user=stranger, access=WRITE, inode=\"/d\" (owner owner, group staff, mode drwxr-xr-x)", e.Message);
    }

    [Fact]
    public async Task A_request_id_alone_does_not_answer_for_another_user()
    {
        var s = await CreateAsync();
        await s.H.WriteFileAsync("/d/g", 10);
        var deleted = await s.H.Fs.DeleteAsync("/d/f", false, "req-1", Token, s.As(Owner));
        await s.H.Fs.RenameAsync("/d/g", "/d/h", "req-2", Token, s.As(Owner));

        // The owner's retries are answered from the retry cache; a stranger's replay of the same ids is checked and refused.
        Assert.Equal(deleted.FilesDeleted, (await s.H.Fs.DeleteAsync("/d/f", false, "req-1", Token, s.As(Owner))).FilesDeleted);
        await s.H.Fs.RenameAsync("/d/g", "/d/h", "req-2", Token, s.As(Owner));
        await ThrowsAsync(ErrorKind.PermissionDenied, () => s.H.Fs.DeleteAsync("/d/f", false, "req-1", Token, s.As(Stranger)));
        await ThrowsAsync(ErrorKind.PermissionDenied, () => s.H.Fs.RenameAsync("/d/g", "/d/h", "req-2", Token, s.As(Stranger)));
    }

    [Fact]
    public async Task Every_directory_on_the_way_must_be_traversable()
    {
        var s = await CreateAsync();
        await s.H.Fs.MkdirsAsync("/d/a/b", true, 0x1FF, null, Token);
        await s.H.Fs.SetOwnerAsync("/d/a", Owner, null, null, Token);
        await s.ChmodAsync("/d/a", 0x1F6); // 0766: everything but traversal for group and other
        var e = await ThrowsAsync(ErrorKind.PermissionDenied, () => Task.FromResult(s.H.Fs.GetFileInfo("/d/a/b/c", s.As(Member))));
        Assert.StartsWith("/d/a/b/c: permission denied: user=member, access=EXECUTE, inode=\"/d/a\"", e.Message);
        // Refused before existence is revealed: the missing /d/a/b/c is not reported as missing.
        await ThrowsAsync(ErrorKind.FileNotFound, () => Task.FromResult(s.H.Fs.GetFileInfo("/d/a/b/c", s.As(Owner))));
    }

    [Fact]
    public async Task The_owner_class_is_exclusive_even_when_group_or_other_would_allow_more()
    {
        var s = await CreateAsync();
        await s.ChmodAsync("/d/f", 0x03F); // 0077: nothing for the owner, everything for the others
        await ThrowsAsync(ErrorKind.PermissionDenied, () => Task.FromResult(s.H.Fs.GetBlockLocations("/d/f", 0, 0, s.As(Owner))));
        Assert.Single(s.H.Fs.GetBlockLocations("/d/f", 0, 0, s.As(Member)).Blocks);
        Assert.Single(s.H.Fs.GetBlockLocations("/d/f", 0, 0, s.As(Stranger)).Blocks);
    }

    [Fact]
    public async Task Listing_a_file_and_stat_need_only_traversal()
    {
        var s = await CreateAsync();
        await s.ChmodAsync("/d/f", 0);
        Assert.Equal("/d/f", s.H.Fs.GetFileInfo("/d/f", s.As(Stranger)).Path);
        Assert.Single(s.H.Fs.GetListing("/d/f", null, 0, s.As(Stranger)).Entries);
    }

    [Fact]
    public async Task A_recursive_delete_needs_every_right_on_every_non_empty_directory_below()
    {
        var s = await CreateAsync();
        await s.ChmodAsync("/d", 0x1FF);
        await s.H.Fs.MkdirsAsync("/d/tree/inner", true, 0x1FF, s.As(Stranger), Token);
        await s.H.Fs.MkdirsAsync("/d/tree/empty", true, 0, s.As(Stranger), Token);
        await s.H.Fs.CreateAsync(new CreateRequest { Path = "/d/tree/inner/x", ClientName = "w" }, s.As(Stranger), Token);
        await s.H.Fs.SetOwnerAsync("/d/tree/inner", Owner, null, null, Token);
        await s.H.Fs.SetOwnerAsync("/d/tree/empty", Owner, null, null, Token);
        await s.ChmodAsync("/d/tree/inner", 0x1ED); // 0755: stranger may read it, not change it
        await s.ChmodAsync("/d/tree/empty", 0);      // empty: its mode does not matter

        var before = s.Tree;
        var e = await ThrowsAsync(ErrorKind.PermissionDenied, () => s.H.Fs.DeleteAsync("/d/tree", true, null, Token, s.As(Stranger)));
        Assert.StartsWith("/d/tree: permission denied: user=stranger, access=ALL, inode=\"/d/tree/inner\"", e.Message);
        Assert.Equal(before, s.Tree);

        await s.ChmodAsync("/d/tree/inner", 0x1FF);
        var deleted = await s.H.Fs.DeleteAsync("/d/tree", true, null, Token, s.As(Stranger));
        Assert.Equal((3L, 1L), (deleted.DirectoriesDeleted, deleted.FilesDeleted));
    }

    [Fact]
    public async Task Du_needs_read_and_execute_on_every_directory_it_counts()
    {
        var s = await CreateAsync();
        await s.H.Fs.MkdirsAsync("/d/private", false, 0x1C0, null, Token); // 0700, owned by alice
        var e = await ThrowsAsync(ErrorKind.PermissionDenied, () => Task.FromResult(s.H.Fs.GetContentSummary("/d", s.As(Member))));
        Assert.Contains("access=READ_EXECUTE, inode=\"/d/private\"", e.Message);
        Assert.Equal(1, s.H.Fs.GetContentSummary("/d", s.As(User)).FileCount);
    }

    [Fact]
    public async Task Fsck_needs_read_and_execute_on_every_directory_it_walks()
    {
        var s = await CreateAsync();
        await s.H.Fs.MkdirsAsync("/d/private", false, 0x1C0, null, Token); // 0700
        await s.H.WriteFileAsync("/d/private/x", 10);
        await s.H.Fs.SetOwnerAsync("/d/private", Owner, null, null, Token);

        var e = await ThrowsAsync(ErrorKind.PermissionDenied, () => Task.FromResult(s.H.Fs.Fsck("/d/private", s.As(Member))));
        Assert.Equal("/d/private: permission denied: user=member, access=READ_EXECUTE, inode=\"/d/private\" " +
            "(owner owner, group staff, mode drwx------)", e.Message);
        // From above, the walk reaches the private directory and is refused there.
        e = await ThrowsAsync(ErrorKind.PermissionDenied, () => Task.FromResult(s.H.Fs.Fsck("/d", s.As(Member))));
        Assert.StartsWith("/d: permission denied: user=member, access=READ_EXECUTE, inode=\"/d/private\"", e.Message);
        // Traversal to the path is required too.
        await s.ChmodAsync("/d", 0x1C0);
        e = await ThrowsAsync(ErrorKind.PermissionDenied, () => Task.FromResult(s.H.Fs.Fsck("/d/f", s.As(Member))));
        Assert.StartsWith("/d/f: permission denied: user=member, access=EXECUTE, inode=\"/d\"", e.Message);

        Assert.Equal((2, 2), (s.H.Fs.Fsck("/d", s.As(SuperUser)).TotalFiles, s.H.Fs.Fsck("/d", s.As(Owner)).TotalFiles));
    }

    [Fact]
    public async Task Mkdirs_and_create_refuse_modes_beyond_01777()
    {
        var s = await CreateAsync();
        var before = s.Tree;
        var e = await ThrowsAsync(ErrorKind.InvalidArgument, () => s.H.Fs.MkdirsAsync("/d/x", true, 0x400, s.As(Owner), Token));
        Assert.Equal("/d/x: mode 2000 is not within 0..1777 (octal)", e.Message);
        e = await ThrowsAsync(ErrorKind.InvalidArgument,
            () => s.H.Fs.CreateAsync(new CreateRequest { Path = "/d/new", ClientName = "w", Permission = 0x1000 }, s.As(Owner), Token));
        Assert.Equal("/d/new: mode 10000 is not within 0..1777 (octal)", e.Message);
        Assert.Equal(before, s.Tree);

        await s.H.Fs.MkdirsAsync("/d/x", true, 0x3FF, s.As(Owner), Token); // 1777 itself is fine
        Assert.Equal(0x3FFu, s.H.Fs.GetFileInfo("/d/x").Permission);
    }

    [Fact]
    public async Task In_a_sticky_directory_only_the_owner_of_an_entry_or_of_the_directory_may_delete_or_rename_it()
    {
        var s = await CreateAsync();
        await s.H.Fs.MkdirsAsync("/tmp", false, 0x3FF, null, Token); // 1777: world-writable, sticky
        await s.H.Fs.SetOwnerAsync("/tmp", Owner, null, null, Token);
        await s.H.Fs.CreateAsync(new CreateRequest { Path = "/tmp/mine", ClientName = "w1" }, s.As(Member), Token);
        await s.H.Fs.CreateAsync(new CreateRequest { Path = "/tmp/theirs", ClientName = "w2" }, s.As(Stranger), Token);

        var e = await ThrowsAsync(ErrorKind.PermissionDenied, () => s.H.Fs.DeleteAsync("/tmp/theirs", false, null, Token, s.As(Member)));
        Assert.Equal("/tmp/theirs: permission denied by the sticky bit: user=member may not delete or rename \"/tmp/theirs\" (owner stranger) " +
            "in \"/tmp\" (owner owner, group supergroup, mode drwxrwxrwt): only the owner of the entry or of the directory may", e.Message);
        await ThrowsAsync(ErrorKind.PermissionDenied, () => s.H.Fs.RenameAsync("/tmp/theirs", "/tmp/stolen", null, Token, s.As(Member)));

        await s.H.Fs.RenameAsync("/tmp/mine", "/tmp/mine2", null, Token, s.As(Member));
        await s.H.Fs.DeleteAsync("/tmp/mine2", false, null, Token, s.As(Member));
        await s.H.Fs.DeleteAsync("/tmp/theirs", false, null, Token, s.As(Owner));
    }

    [Fact]
    public async Task New_inodes_belong_to_the_caller_and_to_the_group_of_their_parent()
    {
        var s = await CreateAsync();
        await s.ChmodAsync("/d", 0x1FF);
        await s.H.Fs.MkdirsAsync("/d/x/y", true, 0x140, s.As(Stranger), Token); // 0500 asked for
        var created = await s.H.Fs.CreateAsync(new CreateRequest { Path = "/d/file", ClientName = "w" }, s.As(Stranger), Token);

        var y = s.H.Fs.GetFileInfo("/d/x/y", s.As(Stranger));
        Assert.Equal(("stranger", "staff", 0x140u), (y.Owner, y.Group, y.Permission));
        // A parent made on the way stays usable by its owner (u+wx), as in HDFS.
        Assert.Equal(0x1C0u, s.H.Fs.GetFileInfo("/d/x", s.As(Stranger)).Permission);
        Assert.Equal(("stranger", "staff", 0x1A4u), (created.Owner, created.Group, created.Permission));
    }

    [Fact]
    public async Task Chmod_is_for_the_owner_and_the_superuser_only()
    {
        var s = await CreateAsync();
        await s.H.Fs.SetPermissionAsync("/d/f", 0x180, s.As(Owner), Token); // 0600
        Assert.Equal(0x180u, s.H.Fs.GetFileInfo("/d/f").Permission);

        var e = await ThrowsAsync(ErrorKind.PermissionDenied, () => s.H.Fs.SetPermissionAsync("/d/f", 0x1FF, s.As(Member), Token));
        Assert.Equal("/d/f: permission denied: user=member is not the owner of \"/d/f\" (owner owner, group staff, mode -rw-------) " +
            "(only the owner or the superuser may)", e.Message);
        await s.H.Fs.SetPermissionAsync("/d/f", 0x124, s.As(SuperUser), Token);
        Assert.Equal(0x124u, s.H.Fs.GetFileInfo("/d/f").Permission);

        var invalid = await ThrowsAsync(ErrorKind.InvalidArgument, () => s.H.Fs.SetPermissionAsync("/d/f", 0x400, s.As(Owner), Token));
        Assert.Contains("/d/f: mode 2000", invalid.Message);
        Assert.Equal(Protocol.Metadata.NamespaceOp.OpOneofCase.SetPermission, s.H.Log.Entries[^1].Op.OpCase);
    }

    [Fact]
    public async Task Only_the_superuser_may_give_a_file_to_another_user()
    {
        var s = await CreateAsync();
        var e = await ThrowsAsync(ErrorKind.PermissionDenied, () => s.H.Fs.SetOwnerAsync("/d/f", Member, null, s.As(Owner), Token));
        Assert.Equal("/d/f: permission denied: user=owner is not the superuser (only the superuser may give a file to another user (owner -> member))", e.Message);
        await s.H.Fs.SetOwnerAsync("/d/f", Owner, null, s.As(Owner), Token); // to oneself: allowed, nothing changes
        await ThrowsAsync(ErrorKind.PermissionDenied, () => s.H.Fs.SetOwnerAsync("/d/f", Stranger, null, s.As(Stranger), Token));

        await s.H.Fs.SetOwnerAsync("/d/f", Member, "anygroup", s.As(SuperUser), Token);
        var status = s.H.Fs.GetFileInfo("/d/f");
        Assert.Equal((Member, "anygroup"), (status.Owner, status.Group));
    }

    [Fact]
    public async Task The_owner_may_change_the_group_only_to_one_of_its_own_groups()
    {
        var s = await CreateAsync();
        await s.H.Fs.SetOwnerAsync("/d/f", null, "dev", s.As(Owner), Token);
        Assert.Equal("dev", s.H.Fs.GetFileInfo("/d/f").Group);

        var e = await ThrowsAsync(ErrorKind.PermissionDenied, () => s.H.Fs.SetOwnerAsync("/d/f", null, "wheel", s.As(Owner), Token));
        Assert.Equal("/d/f: permission denied: user=owner does not belong to group wheel (an owner may only choose one of its own groups)", e.Message);
        // A member of the group who is not the owner may not change it either.
        await ThrowsAsync(ErrorKind.PermissionDenied, () => s.H.Fs.SetOwnerAsync("/d", null, Group, s.As(Member), Token));
        await ThrowsAsync(ErrorKind.InvalidArgument, () => s.H.Fs.SetOwnerAsync("/d/f", "", " ", s.As(SuperUser), Token));
        await ThrowsAsync(ErrorKind.InvalidArgument, () => s.H.Fs.SetOwnerAsync("/d/f", "a:b", null, s.As(SuperUser), Token));
    }

    [Fact]
    public async Task A_request_without_a_user_is_nobody_and_never_the_superuser()
    {
        var s = await CreateAsync(o => o.SuperUser = "nobody");
        foreach (var header in new string?[] { null, "", "   " })
        {
            var caller = s.H.Fs.Identify(header);
            Assert.Equal(("nobody", false), (caller.User, caller.IsSuperUser));
        }
        await ThrowsAsync(ErrorKind.PermissionDenied, () => s.H.Fs.MkdirsAsync("/d/x", false, 0, s.H.Fs.Identify(null), Token));
    }

    [Fact]
    public async Task With_permissions_disabled_nothing_is_checked_but_owners_are_still_recorded()
    {
        var s = await CreateAsync(o => o.PermissionsEnabled = false);
        await s.ChmodAsync("/d", 0);
        await s.H.Fs.MkdirsAsync("/d/x", false, 0, s.As(Stranger), Token);
        Assert.Equal(Stranger, s.H.Fs.GetFileInfo("/d/x").Owner);
    }
}
