using PyHdfs.NameNode.Namespace.Permissions;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.NameNode;
using static PyHdfs.NameNode.Tests.Permissions.PermissionScenario;

namespace PyHdfs.NameNode.Tests.Permissions;

/// <summary>
/// Owner / group / other × every combination of r, w, x on the inode an operation depends on, for
/// ls, cat, stat, put, mkdir, rm, mv and setrep: allowed exactly when the caller's class has the
/// rights HDFS requires; refused with PERMISSION_DENIED naming the path, the user and the inode,
/// and then nothing changed.
/// </summary>
public sealed class PermissionMatrixTests
{
    /// <summary>Which inode gets the mode under test, the rights the operation needs on it, and the call.</summary>
    private sealed record Operation(string ModeOn, FsAccess Needs, Func<PermissionScenario, Caller, Task> Run);

    private static readonly Dictionary<string, Operation> Operations = new()
    {
        ["ls"] = new("/d", FsAccess.ReadExecute, (s, c) => Task.FromResult(s.H.Fs.GetListing("/d", null, 0, c))),
        ["cat"] = new("/d/f", FsAccess.Read, (s, c) => Task.FromResult(s.H.Fs.GetBlockLocations("/d/f", 0, 0, c))),
        ["stat"] = new("/d", FsAccess.Execute, (s, c) => Task.FromResult(s.H.Fs.GetFileInfo("/d/f", c))),
        ["put"] = new("/d", FsAccess.WriteExecute, (s, c) =>
            s.H.Fs.CreateAsync(new CreateRequest { Path = "/d/new", ClientName = "writer" }, c, Token)),
        ["put -f"] = new("/d/f", FsAccess.Write, (s, c) =>
            s.H.Fs.CreateAsync(new CreateRequest { Path = "/d/f", ClientName = "writer", Overwrite = true }, c, Token)),
        ["mkdir"] = new("/d", FsAccess.WriteExecute, (s, c) => s.H.Fs.MkdirsAsync("/d/sub", false, 0, c, Token)),
        ["rm"] = new("/d", FsAccess.WriteExecute, (s, c) => s.H.Fs.DeleteAsync("/d/f", false, null, Token, c)),
        ["mv"] = new("/d", FsAccess.WriteExecute, (s, c) => s.H.Fs.RenameAsync("/d/f", "/d/g", null, Token, c)),
        ["setrep"] = new("/d/f", FsAccess.Write, (s, c) => s.H.Fs.SetReplicationAsync("/d/f", 3, Token, c)),
    };

    private static readonly Dictionary<string, int> ClassShift = new() { [Owner] = 6, [Member] = 3, [Stranger] = 0 };

    public static TheoryData<string, string, int> Cases()
    {
        var cases = new TheoryData<string, string, int>();
        foreach (var operation in Operations.Keys)
        {
            foreach (var user in ClassShift.Keys)
            {
                for (var rights = 0; rights < 8; rights++)
                {
                    cases.Add(operation, user, rights);
                }
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task An_operation_is_allowed_exactly_when_the_callers_class_has_the_rights_it_needs(string name, string user, int rights)
    {
        var operation = Operations[name];
        var s = await CreateAsync();
        await s.ChmodAsync("/d", 0x1FF);
        // Only the caller's class gets rights: the other two classes have none.
        await s.ChmodAsync(operation.ModeOn, (uint)rights << ClassShift[user]);
        var before = s.Tree;
        var journaled = s.H.Log.Entries.Count;

        var allowed = ((FsAccess)rights & operation.Needs) == operation.Needs;
        if (allowed)
        {
            await operation.Run(s, s.As(user));
            return;
        }
        var e = await Assert.ThrowsAsync<DfsException>(() => operation.Run(s, s.As(user)));
        Assert.Equal(ErrorKind.PermissionDenied, e.Kind);
        Assert.Contains($"permission denied: user={user}, access=", e.Message);
        Assert.Contains($"inode=\"{operation.ModeOn}\"", e.Message);
        Assert.Equal(before, s.Tree);
        Assert.Equal(journaled, s.H.Log.Entries.Count);
    }

    public static TheoryData<string, string> SuperUserCases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var operation in Operations.Keys)
        {
            cases.Add(operation, SuperUser);
            cases.Add(operation, Support.NamespaceHarness.User); // a superuser through the supergroup
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(SuperUserCases))]
    public async Task A_superuser_passes_every_check(string name, string user)
    {
        var operation = Operations[name];
        var s = await CreateAsync();
        await s.ChmodAsync("/d/f", 0);
        await s.ChmodAsync("/d", 0);
        await s.ChmodAsync("/", 0);
        Assert.True(s.As(user).IsSuperUser);
        await operation.Run(s, s.As(user));
    }
}
