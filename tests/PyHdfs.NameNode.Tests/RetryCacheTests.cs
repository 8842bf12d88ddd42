using PyHdfs.NameNode.Tests.Support;
using PyHdfs.Protocol;
using PyHdfs.Protocol.NameNode;
using static PyHdfs.NameNode.Tests.Support.NamespaceHarness;

namespace PyHdfs.NameNode.Tests;

public sealed class RetryCacheTests
{
    [Fact]
    public async Task A_retried_delete_rename_or_create_gets_the_first_answer()
    {
        var h = new NamespaceHarness();
        await h.WriteFileAsync("/d/f", 5);
        await h.MkdirsAsync("/e");

        var deleted = await h.Fs.DeleteAsync("/d", true, "req-1", CancellationToken.None);
        var again = await h.Fs.DeleteAsync("/d", true, "req-1", CancellationToken.None);
        Assert.Equal(deleted, again);
        Assert.Equal(1, again.FilesDeleted);
        await ThrowsAsync(ErrorKind.FileNotFound, () => h.Fs.DeleteAsync("/d", true, "req-2", CancellationToken.None));

        await h.Fs.RenameAsync("/e", "/g", "req-3", CancellationToken.None);
        await h.Fs.RenameAsync("/e", "/g", "req-3", CancellationToken.None);
        await ThrowsAsync(ErrorKind.FileNotFound, () => h.Fs.RenameAsync("/e", "/g", "req-4", CancellationToken.None));

        var request = new CreateRequest { Path = "/new", ClientName = "c", ClientRequestId = "req-5" };
        var created = await h.Fs.CreateAsync(request, null, CancellationToken.None);
        Assert.True(await h.CompleteAsync("/new", created.FileId, null, client: "c"));
        var retried = await h.Fs.CreateAsync(request, null, CancellationToken.None);
        Assert.Equal(created.FileId, retried.FileId);
        request.ClientRequestId = "req-6";
        await ThrowsAsync(ErrorKind.AlreadyExists, () => h.Fs.CreateAsync(request, null, CancellationToken.None));
    }

    [Fact]
    public async Task Answers_expire()
    {
        var h = new NamespaceHarness(configure: o => o.RetryCacheTtlMs = 1000);
        await h.MkdirsAsync("/d");
        await h.Fs.DeleteAsync("/d", false, "req-1", CancellationToken.None);
        h.Time.Advance(TimeSpan.FromSeconds(2));
        await ThrowsAsync(ErrorKind.FileNotFound, () => h.Fs.DeleteAsync("/d", false, "req-1", CancellationToken.None));
    }
}
