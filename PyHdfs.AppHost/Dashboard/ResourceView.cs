using PyHdfs.AppHost.Hosting;

namespace PyHdfs.AppHost.Dashboard;

/// <summary>One resource as the dashboard shows it.</summary>
public sealed record ResourceView(
    string Name,
    string Type,
    string State,
    int? ExitCode,
    int? Pid,
    int Restarts,
    IReadOnlyList<string> Endpoints,
    IReadOnlyList<string> DependsOn,
    bool ExplicitStart,
    DateTimeOffset? StartedAt)
{
    public static ResourceView Of(ResourceRuntime runtime) => new(
        runtime.Name,
        runtime.Resource switch { RedisResource => "redis", ProjectResource { HasEndpoint: false } => "executable", _ => "project" },
        DisplayState(runtime),
        runtime.ExitCode,
        runtime.State is ResourceState.Running or ResourceState.Starting or ResourceState.Stopping ? runtime.Pid : null,
        Math.Max(0, runtime.Starts - 1),
        ListeningOn(runtime),
        [.. runtime.Resource.Dependencies.Select(d => d.Name)],
        runtime.Resource.ExplicitStart,
        runtime.StartedAt);

    /// <summary>What the running process listens on: its gRPC URL, and e.g. the DataNode's block-transfer port.</summary>
    private static IReadOnlyList<string> ListeningOn(ResourceRuntime runtime)
    {
        if (runtime.State != ResourceState.Running || runtime.Address is not { } address)
        {
            return [];
        }
        var others = runtime.Endpoints.Where(e => e.Key is not ("grpc" or "pid") && e.Value != address).Select(e => $"{e.Key}: {e.Value}");
        return [address, .. others];
    }

    /// <summary>starting, healthy, unhealthy, running (a one-shot without a health endpoint), stopping, stopped, exited, failed, not started.</summary>
    public static string DisplayState(ResourceRuntime runtime) => runtime.State switch
    {
        ResourceState.Running when runtime.Resource is ProjectResource { HasEndpoint: false } => "running",
        ResourceState.Running => runtime.LastProbeHealthy == false ? "unhealthy" : "healthy",
        ResourceState.Starting => "starting",
        ResourceState.Stopping => "stopping",
        ResourceState.Stopped => "stopped",
        ResourceState.Exited => "exited",
        ResourceState.FailedToStart => "failed",
        _ => "not started",
    };
}
