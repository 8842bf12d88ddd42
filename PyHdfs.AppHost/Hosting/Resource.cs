namespace PyHdfs.AppHost.Hosting;

/// <summary>
/// One process of the application graph, Aspire style: what it references (gets the address of)
/// and what it waits for (starts only when that is healthy).
/// </summary>
public abstract class Resource(string name)
{
    private readonly List<Resource> _references = [];
    private readonly List<Resource> _waitsFor = [];
    private readonly SortedDictionary<string, string> _environment = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> _dataPaths = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    /// <summary>The name others discover it by (services__SERVICENAME__grpc__N); the resource name unless set.</summary>
    public string ServiceName { get; internal set; } = name;

    public IReadOnlyList<Resource> References => _references;

    public IReadOnlyList<Resource> WaitsFor => _waitsFor;

    /// <summary>Fixed environment entries of this resource.</summary>
    public IReadOnlyDictionary<string, string> Environment => _environment;

    /// <summary>Environment entries whose value is a path under the data directory.</summary>
    public IReadOnlyDictionary<string, string> DataPaths => _dataPaths;

    /// <summary>Not started with the application; only when asked (dashboard, API), like Aspire's WithExplicitStart.</summary>
    public bool ExplicitStart { get; internal set; }

    /// <summary>Every resource this one needs before it can start.</summary>
    public IEnumerable<Resource> Dependencies => _references.Concat(_waitsFor).Distinct();

    internal void AddReference(Resource resource) => AddOnce(_references, resource);

    internal void AddWaitFor(Resource resource) => AddOnce(_waitsFor, resource);

    internal void SetEnvironment(string key, string value) => _environment[key] = value;

    internal void SetDataPath(string key, string relativePath) => _dataPaths[key] = relativePath;

    private void AddOnce(List<Resource> list, Resource resource)
    {
        if (ReferenceEquals(resource, this))
        {
            throw new InvalidOperationException($"{Name} cannot depend on itself");
        }
        if (!list.Contains(resource))
        {
            list.Add(resource);
        }
    }

    public override string ToString() => Name;
}

/// <summary>A redis-server process; referenced as <c>ConnectionStrings__NAME=127.0.0.1:PORT</c>.</summary>
public sealed class RedisResource(string name) : Resource(name);

/// <summary>A .NET service of this repository; referenced as <c>services__NAME__grpc__0=http://127.0.0.1:PORT</c>.</summary>
public sealed class ProjectResource(string name, ServiceProject project) : Resource(name)
{
    private readonly List<string> _arguments = [];

    public ServiceProject Project { get; } = project;

    /// <summary>Command-line arguments after the assembly.</summary>
    public IReadOnlyList<string> Arguments => _arguments;

    /// <summary>Services listen and are health-gated; a command-line tool runs once and exits.</summary>
    public bool HasEndpoint => Project.IsService;

    internal void AddArguments(IEnumerable<string> arguments) => _arguments.AddRange(arguments);
}

public enum ResourceState
{
    NotStarted,
    Starting,
    Running,
    Stopping,
    Stopped,
    Exited,
    FailedToStart,
}
