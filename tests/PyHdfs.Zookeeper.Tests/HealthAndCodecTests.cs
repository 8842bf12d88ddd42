using System.Net;
using Google.Protobuf;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Registry;
using PyHdfs.Testing;

namespace PyHdfs.Zookeeper.Tests;

public sealed class HealthAndCodecTests
{
    [Fact]
    public async Task Health_is_healthy_with_redis_and_degraded_since_the_outage_once_redis_is_gone()
    {
        await using var host = await RegistryTestHost.StartAsync();
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var health = new Uri(host.Address, "/health");

        Assert.Equal("healthy", await http.GetStringAsync(health));

        await host.Redis.DisposeAsync();
        var body = await Eventually.WaitForAsync(async () =>
        {
            using var response = await http.GetAsync(health);
            var text = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.OK && text.StartsWith("degraded: redis unreachable since ", StringComparison.Ordinal) ? text : null;
        }, TimeSpan.FromSeconds(15), "/health to report Redis down as degraded (200)");
        Assert.Matches(@"since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", body);
    }

    [Fact]
    public void Event_messages_decode_kind_registration_time_and_info()
    {
        var info = new DataNodeInfo { Address = new DataNodeAddress { Id = "dn-1" }, UsedBytes = 5 };
        var message = System.Text.Encoding.ASCII.GetBytes("1:1234:").Concat(info.ToByteArray()).ToArray();

        var decoded = RegistryEventMessage.TryDecode(message);

        Assert.NotNull(decoded);
        Assert.Equal(DataNodeEvent.Types.Kind.Added, decoded.Kind);
        Assert.Equal(1234, decoded.Nodes[0].RegisteredUnixMs);
        Assert.Equal(5, decoded.Nodes[0].UsedBytes);
        Assert.Null(RegistryEventMessage.TryDecode("garbage"u8.ToArray()));
        Assert.Null(RegistryEventMessage.TryDecode("9:1:"u8.ToArray()));
    }

    [Theory]
    [InlineData("", "Ex")]
    [InlineData("Ex", "Ex")]
    [InlineData("KA", "KAE")]
    [InlineData("Kg", "KgEx")]
    public void Keyspace_flags_are_merged_not_overwritten(string current, string expected) =>
        Assert.Equal(expected, RegistryEventPump.MergeNotifyFlags(current));

    [Fact]
    public void Only_datanode_keys_name_a_datanode()
    {
        var keys = new RedisKeys("p:");
        Assert.Equal("dn-1", keys.DataNodeIdOf("p:dn:dn-1"));
        Assert.Null(keys.DataNodeIdOf("p:dn:members"));
        Assert.Null(keys.DataNodeIdOf("p:leader"));
        Assert.Null(keys.DataNodeIdOf("other:dn:dn-1"));
    }
}
