using PyHdfs.NameNode.Namespace.Permissions;
using PyHdfs.NameNode.Tests.Support;
using PyHdfs.Testing;

namespace PyHdfs.NameNode.Tests.Permissions;

/// <summary>Groups are resolved on the NameNode: configuration first, else the OS files, cached for a while.</summary>
public sealed class UserGroupsTests
{
    [Fact]
    public void Os_groups_are_the_group_memberships_plus_the_primary_group()
    {
        using var dir = new TempDirectory("pyhdfs-groups");
        var group = dir.Combine("group");
        var passwd = dir.Combine("passwd");
        File.WriteAllLines(group, ["# comment", "staff:x:50:alice,bob", "dev:x:60:bob", "alice:x:1000:", "broken line"]);
        File.WriteAllLines(passwd, ["alice:x:1000:1000::/home/alice:/bin/sh", "carol:x:1002:60::/home/carol:/bin/sh"]);

        var groups = UserGroups.LoadOsGroups(group, passwd);

        Assert.Equal(["alice", "staff"], groups["alice"].Order());
        Assert.Equal(["dev", "staff"], groups["bob"].Order());
        Assert.Equal(["dev"], groups["carol"].Order());
        Assert.Empty(UserGroups.LoadOsGroups(dir.Combine("missing"), dir.Combine("missing-too")));
    }

    [Fact]
    public void Configured_groups_replace_the_os_groups_and_the_supergroup_makes_a_superuser()
    {
        using var dir = new TempDirectory("pyhdfs-groups");
        var group = dir.Combine("group");
        var passwd = dir.Combine("passwd");
        File.WriteAllLines(group, ["staff:x:50:alice,bob"]);
        File.WriteAllLines(passwd, []);
        var options = new NameNodeOptions { SuperUser = "hdfs", UserGroups = new() { ["alice"] = " dev , supergroup ," } };
        var time = new ManualTime();
        var users = new UserGroups(options, time, group, passwd);

        Assert.Equal(["dev", "supergroup"], users.GroupsOf("alice").Order());
        Assert.True(users.Identify("alice").IsSuperUser);
        Assert.True(users.Identify("hdfs").IsSuperUser);
        var bob = users.Identify("bob");
        Assert.Equal(["staff"], bob.Groups);
        Assert.False(bob.IsSuperUser);

        // The OS files are read again only once the cache has expired.
        File.WriteAllLines(group, ["staff:x:50:alice", "ops:x:70:bob"]);
        Assert.Equal(["staff"], users.GroupsOf("bob"));
        time.Advance(TimeSpan.FromMilliseconds(options.GroupCacheTtlMs));
        Assert.Equal(["ops"], users.GroupsOf("bob"));
    }
}
