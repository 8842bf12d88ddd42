namespace PyHdfs.AppHost.Hosting;

/// <summary>The live state of one resource: what a dashboard shows and what tests inspect.</summary>
public sealed class ResourceRuntime(Resource resource, string dataDirectory)
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _healthy = NewSignal();

    public Resource Resource { get; } = resource;

    public string Name => Resource.Name;

    public ResourceState State { get; internal set; } = ResourceState.NotStarted;

    /// <summary>
    /// Chosen at first start (the port a service bound as port 0, or a free one for Redis) and kept for
    /// the resource's lifetime, so dependents' configuration stays valid across restarts.
    /// </summary>
    public int? Port { get; internal set; }

    /// <summary>What a reference to this resource resolves to (a URL for services, host:port for Redis).</summary>
    public string? Address { get; internal set; }

    /// <summary>The last endpoints file the service wrote (grpc, pid, and e.g. the DataNode's data).</summary>
    public IReadOnlyDictionary<string, string> Endpoints { get; internal set; } = new Dictionary<string, string>();

    public int? Pid => Process?.Pid;

    public int? ExitCode { get; internal set; }

    /// <summary>When the current process was started, and when it was found healthy.</summary>
    public DateTimeOffset? StartedAt { get; internal set; }

    public DateTimeOffset? HealthyAt { get; internal set; }

    /// <summary>How often the resource was started (the dashboard shows Starts - 1 as restarts).</summary>
    public int Starts { get; internal set; }

    /// <summary>The dashboard's latest /health probe of the running process; null before the first one.</summary>
    public bool? LastProbeHealthy { get; internal set; }

    public LogRing Logs { get; } = new();

    public string LogPath { get; } = ChildEnvironment.LogFilePath(dataDirectory, resource.Name);

    internal ChildProcess? Process { get; set; }

    /// <summary>Completes when the current (or next) start of this resource is healthy.</summary>
    internal Task Healthy
    {
        get
        {
            lock (_lock)
            {
                return _healthy.Task;
            }
        }
    }

    internal void MarkHealthy()
    {
        lock (_lock)
        {
            _healthy.TrySetResult();
        }
    }

    internal void MarkFailed(Exception error)
    {
        lock (_lock)
        {
            _healthy.TrySetException(error);
        }
    }

    internal void ResetHealth()
    {
        lock (_lock)
        {
            if (_healthy.Task.IsCompleted)
            {
                _healthy = NewSignal();
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A resource could not be started; the message carries its exit code and last log lines.</summary>
public sealed class ResourceStartException(string resource, string message) : Exception(message)
{
    public string ResourceName { get; } = resource;
}
