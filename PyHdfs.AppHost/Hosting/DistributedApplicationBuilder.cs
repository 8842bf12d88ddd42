namespace PyHdfs.AppHost.Hosting;

/// <summary>Collects the resource graph, like Aspire's <c>IDistributedApplicationBuilder</c>.</summary>
public sealed class DistributedApplicationBuilder
{
    private readonly List<Resource> _resources = [];

    internal DistributedApplicationBuilder(AppHostOptions options, RepositoryLayout layout, string? commandLineMessage, bool commandLineOk)
    {
        Options = options;
        Layout = layout;
        CommandLineMessage = commandLineMessage;
        CommandLineOk = commandLineOk;
    }

    public AppHostOptions Options { get; }

    public RepositoryLayout Layout { get; }

    /// <summary>Set when the command line asked for help or was invalid: Run prints it instead of starting anything.</summary>
    internal string? CommandLineMessage { get; }

    internal bool CommandLineOk { get; }

    /// <summary>Set by <c>publish --output DIR</c>: Run writes the deployment manifests there instead of starting anything.</summary>
    public string? PublishOutput { get; init; }

    public IReadOnlyList<Resource> Resources => _resources;

    public ResourceBuilder<RedisResource> AddRedis(string name) => new(Add(new RedisResource(name)));

    public ResourceBuilder<ProjectResource> AddProject(string name, ServiceProject project) => new(Add(new ProjectResource(name, project)));

    public DistributedApplication Build() => new(this);

    private T Add<T>(T resource) where T : Resource
    {
        if (_resources.Any(r => r.Name == resource.Name))
        {
            throw new InvalidOperationException($"a resource named '{resource.Name}' already exists");
        }
        _resources.Add(resource);
        return resource;
    }
}
