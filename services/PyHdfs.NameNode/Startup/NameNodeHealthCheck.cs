using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PyHdfs.NameNode.Startup;

/// <summary>/health is healthy once the namespace is loaded, as the active or a standby NameNode (the description says which).</summary>
internal sealed class NameNodeHealthCheck(NameNodeState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsActive
            ? HealthCheckResult.Healthy($"active, epoch {state.Epoch}")
            : state.IsLoaded
                ? HealthCheckResult.Healthy($"standby at txid {state.LastAppliedTxid}")
                : HealthCheckResult.Unhealthy($"not serving: {state.StartupStep}"));
}
