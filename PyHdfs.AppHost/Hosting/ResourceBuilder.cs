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
}
