using System.Net;
using PyHdfs.IntegrationTests.HighAvailability;

namespace PyHdfs.IntegrationTests.WebHdfs;

/// <summary>Two NameNodes: the standby's WebHDFS refuses with 403 StandbyException (so HA-aware clients move on), the active one serves.</summary>
public sealed class WebHdfsStandbyTests(HaCluster cluster) : IClassFixture<HaCluster>
{
    [Fact]
    public async Task The_standby_answers_403_StandbyException_and_the_active_serves()
    {
        var (active, standby, _) = await cluster.WaitForActiveAndStandbyAsync(TimeSpan.FromSeconds(60));
        using var standbyHttp = new WebHdfsHttp(cluster, standby);
        using var activeHttp = new WebHdfsHttp(cluster, active);

        foreach (var (method, query) in new[] { (HttpMethod.Get, "op=GETFILESTATUS"), (HttpMethod.Put, "op=MKDIRS"), (HttpMethod.Put, "op=CREATE") })
        {
            using var response = await standbyHttp.SendAsync(method, "/tmp", query + "&user.name=" + Environment.UserName);
            Assert.Contains("is not active", await WebHdfsHttp.AssertRemoteExceptionAsync(response, HttpStatusCode.Forbidden, "StandbyException"),
                StringComparison.Ordinal);
        }
        var status = await activeHttp.GetJsonAsync("/tmp", "op=GETFILESTATUS");
        Assert.Equal("1777", status.GetProperty("FileStatus").GetProperty("permission").GetString());
    }
}
