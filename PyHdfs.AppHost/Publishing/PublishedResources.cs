namespace PyHdfs.AppHost.Publishing;

/// <summary>Reads the deployable resources (projects and containers) out of Aspire's application model, in publish mode.</summary>
public static class PublishedResources
{
    public static async Task<IReadOnlyList<PublishedResource>> ReadAsync(DistributedApplicationModel model,
        DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        var resources = new List<PublishedResource>();
        foreach (var resource in model.Resources.Where(r => r is ProjectResource or ContainerResource && !r.IsExcludedFromPublish()))
        {
            resources.Add(new PublishedResource(
                resource,
                ContainerImages.Of(resource),
                (resource as ContainerResource)?.Entrypoint,
                await ArgumentsAsync(resource, executionContext, cancellationToken).ConfigureAwait(false),
                await EnvironmentAsync(resource, executionContext, cancellationToken).ConfigureAwait(false),
                [.. resource.Annotations.OfType<EndpointAnnotation>()],
                [.. resource.Annotations.OfType<ContainerMountAnnotation>()],
                [.. resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource).Distinct()],
                resource.GetReplicaCount(),
                resource.Annotations.OfType<ExplicitStartupAnnotation>().Any()));
        }
        return resources;
    }

    private static async Task<IReadOnlyList<KeyValuePair<string, object>>> EnvironmentAsync(IResource resource,
        DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, object>(StringComparer.Ordinal);
        var context = new EnvironmentCallbackContext(executionContext, resource, environment, cancellationToken);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context).ConfigureAwait(false);
        }
        return [.. environment];
    }

    private static async Task<IReadOnlyList<object>> ArgumentsAsync(IResource resource,
        DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        var args = new List<object>();
        var context = new CommandLineArgsCallbackContext(args, resource, cancellationToken) { ExecutionContext = executionContext };
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(context).ConfigureAwait(false);
        }
        return args;
    }
}
