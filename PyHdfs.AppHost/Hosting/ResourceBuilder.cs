using System.Globalization;

namespace PyHdfs.AppHost.Hosting;

/// <summary>Fluent configuration of one resource, shaped like Aspire's <c>IResourceBuilder&lt;T&gt;</c>.</summary>
public sealed class ResourceBuilder<T>(T resource) where T : Resource
{
    public T Resource { get; } = resource;

    /// <summary>Gives this resource the other's address (connection string or service endpoint).</summary>
    public ResourceBuilder<T> WithReference<TOther>(ResourceBuilder<TOther> other) where TOther : Resource
    {
        Resource.AddReference(other.Resource);
        return this;
    }

    /// <summary>Referenced as services__NAME__grpc__N with others of the same service name (NameNodes in HA).</summary>
    public ResourceBuilder<T> WithServiceName(string serviceName)
    {
        Resource.ServiceName = serviceName;
        return this;
    }

    /// <summary>Starts this resource only once the other is healthy.</summary>
    public ResourceBuilder<T> WaitFor<TOther>(ResourceBuilder<TOther> other) where TOther : Resource
    {
        Resource.AddWaitFor(other.Resource);
        return this;
    }

    public ResourceBuilder<T> WithEnvironment(string key, string value)
    {
        Resource.SetEnvironment(key, value);
        return this;
    }

    public ResourceBuilder<T> WithEnvironment(string key, long? value) =>
        value is null ? this : WithEnvironment(key, value.Value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Sets <paramref name="key"/> to a path under the data directory, which survives restarts.</summary>
    public ResourceBuilder<T> WithDataVolume(string key, string relativePath)
    {
        Resource.SetDataPath(key, relativePath);
        return this;
    }

    /// <summary>The resource is started only on request (dashboard, API), not with the application.</summary>
    public ResourceBuilder<T> WithExplicitStart()
    {
        Resource.ExplicitStart = true;
        return this;
    }
}

public static class ProjectResourceBuilderExtensions
{
    public static ResourceBuilder<ProjectResource> WithArgs(this ResourceBuilder<ProjectResource> builder, params string[] arguments)
    {
        builder.Resource.AddArguments(arguments);
        return builder;
    }
}
