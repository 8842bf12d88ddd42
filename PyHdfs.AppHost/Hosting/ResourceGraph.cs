namespace PyHdfs.AppHost.Hosting;

/// <summary>Ordering questions about the resource graph.</summary>
public static class ResourceGraph
{
    public static void ThrowIfCyclic(IReadOnlyList<Resource> resources)
    {
        var done = new HashSet<Resource>();
        var path = new List<Resource>();
        void Visit(Resource resource)
        {
            if (done.Contains(resource))
            {
                return;
            }
            if (path.Contains(resource))
            {
                var cycle = path.SkipWhile(r => r != resource).Append(resource);
                throw new InvalidOperationException($"the resource graph has a cycle: {string.Join(" -> ", cycle)}");
            }
            path.Add(resource);
            foreach (var dependency in resource.Dependencies)
            {
                Visit(dependency);
            }
            path.RemoveAt(path.Count - 1);
            done.Add(resource);
        }
        foreach (var resource in resources)
        {
            Visit(resource);
        }
    }

    /// <summary>For each resource, the resources that reference or wait for it.</summary>
    public static IReadOnlyDictionary<Resource, IReadOnlyList<Resource>> Dependents(IReadOnlyList<Resource> resources) =>
        resources.ToDictionary(r => r, r => (IReadOnlyList<Resource>)[.. resources.Where(o => o.Dependencies.Contains(r))]);

    /// <summary>A start order in which every resource comes after all it depends on.</summary>
    public static IReadOnlyList<Resource> StartOrder(IReadOnlyList<Resource> resources)
    {
        var order = new List<Resource>();
        void Visit(Resource resource)
        {
            if (order.Contains(resource))
            {
                return;
            }
            foreach (var dependency in resource.Dependencies)
            {
                Visit(dependency);
            }
            order.Add(resource);
        }
        ThrowIfCyclic(resources);
        foreach (var resource in resources)
        {
            Visit(resource);
        }
        return order;
    }
}
