using PyHdfs.NameNode.Tests.Support;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Metadata;
using static PyHdfs.NameNode.Tests.Support.NamespaceHarness;

namespace PyHdfs.NameNode.Tests;

public sealed class SetTimesTests
{
    private static readonly CancellationToken Token = CancellationToken.None;

    [Fact]
    public async Task Sets_either_time_and_minus_one_leaves_it_unchanged()
    {
        var h = new NamespaceHarness();
        await h.WriteFileAsync("/f", 10);
        var created = h.Fs.GetFileInfo("/f");
        Assert.Equal(created.ModificationTimeMs, created.AccessTimeMs);

        await h.Fs.SetTimesAsync("/f", 1_600_000_000_000, -1, h.As(User), Token);
        Assert.Equal(1_600_000_000_000, h.Fs.GetFileInfo("/f").ModificationTimeMs);
        Assert.Equal(created.AccessTimeMs, h.Fs.GetFileInfo("/f").AccessTimeMs);

        await h.Fs.SetTimesAsync("/f", -1, 1_700_000_000_000, h.As(User), Token);
        Assert.Equal(1_600_000_000_000, h.Fs.GetFileInfo("/f").ModificationTimeMs);
        Assert.Equal(1_700_000_000_000, h.Fs.GetFileInfo("/f").AccessTimeMs);

        var entries = h.Log.Entries.Count;
        await h.Fs.SetTimesAsync("/f", -1, -1, h.As(User), Token);
        await h.Fs.SetTimesAsync("/f", 1_600_000_000_000, 1_700_000_000_000, h.As(User), Token);
        Assert.Equal(entries, h.Log.Entries.Count);

        await h.MkdirsAsync("/d");
        await h.Fs.SetTimesAsync("/d", 1234, 5678, h.As(User), Token);
        Assert.Equal(1234, h.Fs.GetFileInfo("/d").ModificationTimeMs);
        Assert.Equal(0, h.Fs.GetFileInfo("/d").AccessTimeMs);

        Assert.Equal(NamespaceOp.OpOneofCase.SetTimes, h.Log.Kinds()[^1]);
        Assert.Equal(h.Fs.DumpTree(), NamespaceImage.Replay(h).Fs.DumpTree());
        Assert.Equal(h.Fs.DumpTree(), NamespaceImage.Reload(h).Fs.DumpTree());
        Assert.Contains("atime=1700000000000", NamespaceImage.Replay(h).Fs.DumpTree());
    }

    [Fact]
    public async Task Refuses_bad_times_and_missing_paths_naming_the_path()
    {
        var h = new NamespaceHarness();
        await h.WriteFileAsync("/f", 10);
        Assert.StartsWith("/f: ", (await ThrowsAsync(ErrorKind.InvalidArgument, () => h.Fs.SetTimesAsync("/f", -2, -1, null, Token))).Message);
        Assert.Contains("/nope", (await ThrowsAsync(ErrorKind.FileNotFound, () => h.Fs.SetTimesAsync("/nope", 1, 1, null, Token))).Message);
        await h.CreateAsync("/open", client: "writer");
        await ThrowsAsync(ErrorKind.FileNotFound, () => h.Fs.SetTimesAsync("/open", 1, 1, null, Token));
    }
}
