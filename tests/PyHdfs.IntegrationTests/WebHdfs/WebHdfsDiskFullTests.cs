using System.Net;
using PyHdfs.IntegrationTests.Security;
using PyHdfs.Testing;
using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests.WebHdfs;

/// <summary>One DataNode whose disk is a small tmpfs (needs root), so that a WebHDFS CREATE body is larger than the whole disk.</summary>
public sealed class SingleSmallDiskCluster : DiskFullCluster
{
    protected override void Configure(ClusterOptions options)
    {
        options.DataNodes = 1;
        base.Configure(options);
        // The slow heartbeats of the base are for a disk that fills behind the NameNode's back; here the default suits.
        options.ServiceSettings.Clear();
    }
}

/// <summary>A CREATE whose body does not fit on the disk: a RemoteException naming the path and the disk, and no file at all.</summary>
public sealed class WebHdfsDiskFullTests(SingleSmallDiskCluster cluster) : IClassFixture<SingleSmallDiskCluster>, IDisposable
{
    private static readonly string SuperUser = Environment.UserName;

    private readonly WebHdfsHttp _http = new(cluster);

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task A_body_larger_than_the_disk_is_refused_with_a_RemoteException_and_nothing_half_written_is_visible()
    {
        Assert.SkipWhen(cluster.SkipReason is not null, cluster.SkipReason ?? "");
        var directory = UniquePath("wh-diskfull");
        var path = directory + "/too-big.bin";
        var data = Random((int)DiskFullCluster.TmpfsBytes + 8 * MiB, seed: 961);

        using var redirect = await _http.SendAsync(HttpMethod.Put, path, $"op=CREATE&user.name={SuperUser}&overwrite=false");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
        using var refused = await _http.SendAsync(HttpMethod.Put, redirect.Headers.Location!, new ByteArrayContent(data));
        var message = await WebHdfsHttp.AssertRemoteExceptionAsync(refused, HttpStatusCode.InternalServerError, "IOException");
        Assert.Contains(path, message, StringComparison.Ordinal);
        Assert.Contains("disk", message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);

        // Neither the file nor any of its blocks stays behind: not in the namespace, not on the disk.
        var status = await _http.SendAsync(HttpMethod.Get, path, $"op=GETFILESTATUS&user.name={SuperUser}");
        Assert.Contains(path, await WebHdfsHttp.AssertRemoteExceptionAsync(status, HttpStatusCode.NotFound, "FileNotFoundException"), StringComparison.Ordinal);
        var listing = await _http.GetJsonAsync(directory, $"op=LISTSTATUS&user.name={SuperUser}");
        Assert.Empty(listing.GetProperty("FileStatuses").GetProperty("FileStatus").EnumerateArray());
        var disk = cluster.FullDataNodeDirectory;
        await Eventually.WaitUntilAsync(() => new DriveInfo(disk).AvailableFreeSpace > DiskFullCluster.TmpfsBytes - (2 * MiB),
            TimeSpan.FromSeconds(60), $"the partial replicas of {path} to be deleted from {disk} ({new DriveInfo(disk).AvailableFreeSpace} bytes free)");

        // The node is not left broken: once its heartbeat reports the space, a body that fits is stored and reads back.
        await Eventually.WaitUntilAsync(async () => (await cluster.Client.GetDataNodeReportAsync(Dfs.Token)).Single().RemainingBytes > 4 * PyHdfsCluster.BlockSizeBytes,
            TimeSpan.FromSeconds(60), "the DataNode to report its space free again", TimeSpan.FromMilliseconds(500));
        var fits = Random(3 * MiB + 5, seed: 962);
        await _http.CreateAsync(directory + "/fits.bin", SuperUser, fits);
        Dfs.AssertSameBytes(fits, await _http.OpenAsync(directory + "/fits.bin", SuperUser), "fits.bin");
    }
}
