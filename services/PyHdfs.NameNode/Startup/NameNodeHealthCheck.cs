using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PyHdfs.NameNode.Startup;

/// <summary>/health is healthy only once the namespace is loaded and this NameNode is the active one.</summary>
internal sealed class NameNodeHealthCheck(NameNodeState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsActive
            ? HealthCheckResult.Healthy($"active, epoch {state.Epoch}")
            : HealthCheckResult.Unhealthy($"not active: {state.StartupStep}"));
}
