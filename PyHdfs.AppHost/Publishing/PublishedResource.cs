namespace PyHdfs.AppHost.Publishing;

/// <summary>
/// One deployable resource of Aspire's application model as publish mode sees it: its environment and arguments are
/// what its callbacks produce in publish mode (strings, endpoint references, parameters, reference expressions, still
/// unresolved), next to the annotations a deployment needs. Read by <see cref="PublishedResources"/>; never written by hand.
/// </summary>
public sealed record PublishedResource(
    IResource Resource,
    string Image,
    string? Entrypoint,
    IReadOnlyList<object> Args,
    IReadOnlyList<KeyValuePair<string, object>> Environment,
    IReadOnlyList<EndpointAnnotation> Endpoints,
    IReadOnlyList<ContainerMountAnnotation> Volumes,
    IReadOnlyList<IResource> WaitsFor,
    int Replicas,
    bool ExplicitStart)
{
    public string Name => Resource.Name;

    /// <summary>The endpoint's port inside the container: what its peers connect to on its compose service or Kubernetes Service.</summary>
    public static int PortOf(EndpointAnnotation endpoint) =>
        endpoint.TargetPort ?? endpoint.Port
        ?? throw new InvalidOperationException($"endpoint '{endpoint.Name}' has no target port in publish mode: give it one");
}
