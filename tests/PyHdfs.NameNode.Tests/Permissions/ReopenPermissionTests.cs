using PyHdfs.Protocol;
using static PyHdfs.NameNode.Tests.Permissions.PermissionScenario;
using static PyHdfs.NameNode.Tests.Support.NamespaceHarness;

namespace PyHdfs.NameNode.Tests.Permissions;

/// <summary>Append and truncate need WRITE on the file (as HDFS); set times needs the owner or the superuser.</summary>
public sealed class ReopenPermissionTests
{
    [Fact]
    public async Task Append_and_truncate_need_write_on_the_file()
    {
        var s = await CreateAsync();
        await s.ChmodAsync("/d/f", 0x1A4); // 0644: only the owner writes
        var before = s.Tree;
        var e = await ThrowsAsync(ErrorKind.PermissionDenied, () => s.H.Fs.AppendAsync("/d/f", "w", s.As(Member), Token));
        Assert.Contains("user=member, access=WRITE", e.Message);
        Assert.StartsWith("/d/f: ", e.Message);
        await ThrowsAsync(ErrorKind.PermissionDenied, () => s.H.Fs.TruncateAsync("/d/f", 0, "w", s.As(Stranger), Token));
        Assert.Equal(before, s.Tree);

        await s.ChmodAsync("/d/f", 0x1B4); // 0664: the group writes too
        await s.H.Fs.TruncateAsync("/d/f", 0, "w", s.As(Member), Token);
        await s.H.Fs.AppendAsync("/d/f", "w", s.As(Member), Token);
        await ThrowsAsync(ErrorKind.PermissionDenied, () => s.H.Fs.AppendAsync("/d/f", "x", s.As(Stranger), Token));
    }

    [Fact]
    public async Task Set_times_is_for_the_owner_and_the_superuser()
    {
        var s = await CreateAsync();
        await s.ChmodAsync("/d/f", 0x1FF); // 0777: writable by all, still not theirs
        var e = await ThrowsAsync(ErrorKind.PermissionDenied, () => s.H.Fs.SetTimesAsync("/d/f", 1, 1, s.As(Member), Token));
        Assert.Contains("is not the owner", e.Message);
        await s.H.Fs.SetTimesAsync("/d/f", 2, -1, s.As(Owner), Token);
        await s.H.Fs.SetTimesAsync("/d/f", -1, 3, s.As(SuperUser), Token);
        var status = s.H.Fs.GetFileInfo("/d/f");
        Assert.Equal((2L, 3L), (status.ModificationTimeMs, status.AccessTimeMs));
    }
}
