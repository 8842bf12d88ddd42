using System.Globalization;
using PyHdfs.AppHost.Hosting;

namespace PyHdfs.AppHost.Publishing;

/// <summary>One port of a deployed resource, as in Aspire's manifest bindings.</summary>
public sealed record DeployedBinding(string Name, string Scheme, string Transport, int TargetPort);

/// <summary>
/// A resource of the graph as it runs in a cloud: its image, arguments, environment (values may hold
/// Aspire expressions such as <c>{namenode.bindings.grpc.url}</c>), ports and its own volume at /data.
/// </summary>
public sealed record DeployedResource(
    string Name,
    Resource Source,
    string Image,
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Env,
    IReadOnlyList<DeployedBinding> Bindings,
    string? Volume,
    bool ExplicitStart)
{
    public bool IsRedis => Source is RedisResource;

    public ServiceProject? Project => (Source as ProjectResource)?.Project;

    public IEnumerable<string> DependsOn => Source.Dependencies.Select(d => d.Name);
}

/// <summary>The resource graph turned into deployable resources; the manifest writers only format this.</summary>
public static class DeploymentModel
{
    public const string DataMount = "/data";
    public const int GrpcPort = 8080;
    public const int DataTransferPort = 9866;
    public const int RedisPort = 6379;
    public const string RedisImage = "docker.io/library/redis:7.4";
    public const string ImageTag = "latest";

    /// <summary>The container repository of each service; the same names are in the services' csprojs (ContainerRepository).</summary>
    public static string ImageOf(ServiceProject project) =>
        $"pyhdfs/{(project == ServiceProject.Cli ? "cli" : project.ProjectName["PyHdfs.".Length..].ToLowerInvariant())}:{ImageTag}";

    public static IReadOnlyList<DeployedResource> From(IReadOnlyList<Resource> resources) => [.. resources.Select(Deploy)];

    private static DeployedResource Deploy(Resource resource) => resource switch
    {
        RedisResource redis => new DeployedResource(redis.Name, redis, RedisImage,
            ["--appendonly", "yes", "--save", "", "--dir", DataMount],
            new SortedDictionary<string, string>(StringComparer.Ordinal),
            [new DeployedBinding("tcp", "tcp", "tcp", RedisPort)],
            VolumeName(redis.Name), ExplicitStart: false),
        ProjectResource project => DeployProject(project),
        _ => throw new NotSupportedException(resource.GetType().Name),
    };

    private static DeployedResource DeployProject(ProjectResource project)
    {
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in project.Environment)
        {
            env[key] = value;
        }
        string? volume = null;
        foreach (var (key, relativePath) in project.DataPaths)
        {
            // Only data of the resource's own (DATA/NAME/...) lives on its volume; other paths are AppHost-local.
            if (InOwnDirectory(project.Name, relativePath) is { } inside)
            {
                env[key] = inside.Length == 0 ? DataMount : $"{DataMount}/{inside}";
                volume = VolumeName(project.Name);
            }
        }
        var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        var namenodes = new List<string>();
        foreach (var reference in project.References)
        {
            if (reference is RedisResource)
            {
                env[$"ConnectionStrings__{reference.Name}"] = $"{{{reference.Name}.connectionString}}";
                continue;
            }
            var index = indexes.TryGetValue(reference.ServiceName, out var used) ? used : 0;
            indexes[reference.ServiceName] = index + 1;
            var url = $"{{{reference.Name}.bindings.grpc.url}}";
            env[$"services__{reference.ServiceName}__grpc__{index.ToString(CultureInfo.InvariantCulture)}"] = url;
            if (reference is ProjectResource { Project: var p } && p == ServiceProject.NameNode)
            {
                namenodes.Add(url);
            }
        }
        var bindings = new List<DeployedBinding>();
        if (project.HasEndpoint)
        {
            bindings.Add(new DeployedBinding("grpc", "http", "http2", GrpcPort));
            env["ASPNETCORE_URLS"] = $"http://+:{{{project.Name}.bindings.grpc.targetPort}}";
        }
        else if (namenodes.Count > 0)
        {
            env["PYHDFS_NAMENODE"] = string.Join(",", namenodes); // the CLI's own variable
        }
        if (project.Project == ServiceProject.DataNode)
        {
            bindings.Add(new DeployedBinding("data", "tcp", "tcp", DataTransferPort));
            env["DataNode__DataPort"] = $"{{{project.Name}.bindings.data.targetPort}}";
            env["DataNode__Host"] = $"{{{project.Name}.bindings.data.host}}";
        }
        env["OTEL_SERVICE_NAME"] = project.Name;
        return new DeployedResource(project.Name, project, ImageOf(project.Project), project.Arguments, env, bindings, volume, project.ExplicitStart);
    }

    private static string? InOwnDirectory(string name, string relativePath)
    {
        var path = relativePath.Replace('\\', '/');
        return path == name ? "" : path.StartsWith(name + "/", StringComparison.Ordinal) ? path[(name.Length + 1)..] : null;
    }

    public static string VolumeName(string resource) => $"{resource}-data";

    /// <summary>
    /// Replaces every <c>{resource.connectionString}</c> and <c>{resource.bindings.NAME.url|host|port|targetPort}</c>
    /// in <paramref name="value"/>, given where each resource is reachable (<paramref name="hostOf"/>).
    /// </summary>
    public static string Resolve(string value, IReadOnlyList<DeployedResource> resources, Func<DeployedResource, string> hostOf)
    {
        var result = new System.Text.StringBuilder();
        var position = 0;
        while (position < value.Length)
        {
            var open = value.IndexOf('{', position);
            var close = open < 0 ? -1 : value.IndexOf('}', open);
            if (open < 0 || close < 0)
            {
                result.Append(value, position, value.Length - position);
                break;
            }
            result.Append(value, position, open - position);
            result.Append(ResolveExpression(value[(open + 1)..close], resources, hostOf));
            position = close + 1;
        }
        return result.ToString();
    }

    /// <summary>Every expression in an environment value, e.g. <c>namenode.bindings.grpc.url</c>.</summary>
    public static IEnumerable<string> Expressions(string value)
    {
        var position = 0;
        while (value.IndexOf('{', position) is var open and >= 0 && value.IndexOf('}', open) is var close and >= 0)
        {
            yield return value[(open + 1)..close];
            position = close + 1;
        }
    }

    private static string ResolveExpression(string expression, IReadOnlyList<DeployedResource> resources, Func<DeployedResource, string> hostOf)
    {
        var parts = expression.Split('.');
        var target = resources.FirstOrDefault(r => r.Name == parts[0])
            ?? throw new InvalidOperationException($"'{{{expression}}}' references '{parts[0]}', which is not a resource of the graph");
        if (parts is [_, "connectionString"] && target.IsRedis)
        {
            return $"{hostOf(target)}:{RedisPort.ToString(CultureInfo.InvariantCulture)}";
        }
        if (parts is [_, "bindings", var bindingName, var property]
            && target.Bindings.FirstOrDefault(b => b.Name == bindingName) is { } binding)
        {
            var port = binding.TargetPort.ToString(CultureInfo.InvariantCulture);
            return property switch
            {
                "url" => $"{binding.Scheme}://{hostOf(target)}:{port}",
                "host" => hostOf(target),
                "port" or "targetPort" => port,
                _ => throw new InvalidOperationException($"'{{{expression}}}': unknown binding property '{property}'"),
            };
        }
        throw new InvalidOperationException($"'{{{expression}}}' is not an expression of resource '{target.Name}'");
    }
}
