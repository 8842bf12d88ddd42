using PyHdfs.AppHost.Hosting;

namespace PyHdfs.AppHost.Tests;

public sealed class TelemetryWiringTests
{
    [Fact]
    public void Children_export_to_the_apphost_unless_the_user_points_otlp_elsewhere()
    {
        Assert.Equal("http://127.0.0.1:4317", ChildEnvironment.OtlpEndpointForChildren("http://127.0.0.1:4317", _ => null));
        Assert.Null(ChildEnvironment.OtlpEndpointForChildren("http://127.0.0.1:4317", k => k == "OTEL_EXPORTER_OTLP_ENDPOINT" ? "http://collector:4317" : null));
    }

    [Fact]
    public void A_child_gets_the_receiver_its_service_name_and_a_short_export_delay()
    {
        var resource = new ProjectResource("datanode-1", ServiceProject.DataNode);

        var environment = ChildEnvironment.ForProject(resource, 0, "/data", 1, new Dictionary<string, string>(), [], "http://127.0.0.1:4317");

        Assert.Equal("http://127.0.0.1:4317", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("grpc", environment["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal("datanode-1", environment["OTEL_SERVICE_NAME"]);
        Assert.Equal("1000", environment["OTEL_BSP_SCHEDULE_DELAY"]);
        Assert.DoesNotContain("OTEL_EXPORTER_OTLP_ENDPOINT", ChildEnvironment.ForProject(resource, 0, "/data", 1, new Dictionary<string, string>(), []).Keys);
    }

    [Fact]
    public void The_log_ring_hands_a_poller_only_the_new_lines_and_skips_what_fell_out()
    {
        var ring = new LogRing(capacity: 3);
        for (var i = 1; i <= 2; i++)
        {
            ring.Add(new LogLine(DateTimeOffset.UtcNow, false, $"line {i}"));
        }
        var (first, next) = ring.Since(0);
        Assert.Equal(["line 1", "line 2"], first.Select(l => l.Text));

        for (var i = 3; i <= 6; i++)
        {
            ring.Add(new LogLine(DateTimeOffset.UtcNow, false, $"line {i}"));
        }
        var (second, after) = ring.Since(next);

        Assert.Equal(["line 4", "line 5", "line 6"], second.Select(l => l.Text)); // line 3 fell out of the ring
        Assert.Equal(6, after);
        Assert.Empty(ring.Since(after).Lines);
    }
}
