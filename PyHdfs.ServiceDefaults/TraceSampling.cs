using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A trace starts where something was asked for (a client operation, a NameNode or DataNode task
/// of its own), not at every RPC: an outgoing call without a parent (heartbeats, block reports) and
/// an incoming call without a trace context (an untraced client, the dashboard's cluster view) are
/// not recorded, and nor is anything under them (parent-based). Otherwise the trace list would be
/// all heartbeats.
/// </summary>
public sealed class TraceSampling : Sampler
{
    /// <summary>The gRPC client's span of an outgoing call (its source must be added for the chain to the server span to be complete).</summary>
    public const string GrpcClientSource = "Grpc.Net.Client";

    private static readonly HashSet<string> UntracedRoots = new(StringComparer.Ordinal)
    {
        "System.Net.Http.HttpRequestOut",
        "Grpc.Net.Client.GrpcOut",
        "Microsoft.AspNetCore.Hosting.HttpRequestIn",
    };

    public static Sampler Create() => new ParentBasedSampler(new TraceSampling());

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        UntracedRoots.Contains(samplingParameters.Name)
            ? new SamplingResult(SamplingDecision.Drop)
            : new SamplingResult(SamplingDecision.RecordAndSample);
}
