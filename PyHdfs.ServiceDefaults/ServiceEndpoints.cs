using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Reads a peer's addresses from Aspire-style configuration:
/// <c>services__{service}__{endpoint}__{index}</c> (in .NET configuration: <c>services:namenode:grpc:0</c>).
/// </summary>
public sealed class ServiceEndpoints(IConfiguration configuration)
{
    /// <summary>All configured addresses of one endpoint of a service, in index order.</summary>
    public IReadOnlyList<Uri> Resolve(string service, string endpoint = "grpc")
    {
        var section = configuration.GetSection($"services:{service}:{endpoint}");
        var addresses = section.GetChildren()
            .OrderBy(c => int.TryParse(c.Key, out var i) ? i : int.MaxValue)
            .Select(c => c.Value)
            .Where(v => !string.IsNullOrWhiteSpace(v))
            .Select(v => new Uri(v!, UriKind.Absolute))
            .ToList();
        return addresses;
    }

    /// <summary>The first address of the endpoint, or a clear error naming the configuration key that is missing.</summary>
    public Uri RequireOne(string service, string endpoint = "grpc")
    {
        var all = Resolve(service, endpoint);
        return all.Count > 0
            ? all[0]
            : throw new InvalidOperationException(
                $"no address configured for {service}/{endpoint}: set services__{service}__{endpoint}__0 (e.g. http://127.0.0.1:5000)");
    }
}
