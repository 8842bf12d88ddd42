using static PyHdfs.AppHost.Publishing.YamlWriter;

namespace PyHdfs.AppHost.Publishing;

/// <summary>The container of a resource's pod: image, entrypoint and arguments, environment, ports, volume mounts.</summary>
public static class KubernetesContainer
{
    /// <param name="parameters">Receives every parameter the container refers to.</param>
    public static async Task<Map> CreateAsync(PublishedResource resource, ICollection<ParameterResource> parameters, CancellationToken cancellationToken)
    {
        var syntax = new KubernetesSyntax();
        var container = new Map { { "name", resource.Name }, { "image", resource.Image } };
        if (resource.Entrypoint is { } entrypoint)
        {
            container.Add("command", new List<string> { entrypoint });
        }
        var args = new List<string>();
        foreach (var arg in resource.Args)
        {
            args.Add(await syntax.RenderAsync(arg, cancellationToken).ConfigureAwait(false));
        }
        var environment = new List<Map>();
        foreach (var (key, value) in resource.Environment)
        {
            environment.Add(value is ParameterResource parameter
                ? FromParameter(key, parameter)
                : new Map { { "name", key }, { "value", await syntax.RenderAsync(value, cancellationToken).ConfigureAwait(false) } });
        }
        // $(PARAMETER_X) expands only to variables defined before it: the parameters come first.
        environment.InsertRange(0, syntax.Parameters.Select(p => FromParameter(KubernetesSyntax.EnvironmentName(p), p)));
        foreach (var parameter in syntax.Parameters.Concat(resource.Environment.Select(e => e.Value).OfType<ParameterResource>()))
        {
            if (!parameters.Contains(parameter))
            {
                parameters.Add(parameter);
            }
        }
        if (args.Count > 0)
        {
            container.Add("args", args);
        }
        if (environment.Count > 0)
        {
            container.Add("env", environment);
        }
        if (resource.Endpoints.Count > 0)
        {
            container.Add("ports", resource.Endpoints.Select(e => new Map
            {
                { "name", e.Name },
                { "containerPort", PublishedResource.PortOf(e) },
                { "protocol", "TCP" },
            }).ToList());
        }
        if (resource.Volumes.Count > 0)
        {
            container.Add("volumeMounts", resource.Volumes.Select(m => new Map
            {
                { "name", VolumeName(resource, m) },
                { "mountPath", m.Target },
                { "readOnly", m.IsReadOnly },
            }).ToList());
        }
        return container;
    }

    /// <summary>A DNS label (what Kubernetes requires of volume names) made from the mount's source, else its position.</summary>
    public static string VolumeName(PublishedResource resource, ContainerMountAnnotation mount)
    {
        var source = mount.Type == ContainerMountType.Volume && mount.Source is { Length: > 0 } s
            ? s
            : $"{resource.Name}-mount-{resource.Volumes.ToList().IndexOf(mount)}";
        var label = new string([.. source.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        return label.Length <= 63 ? label : label[..63].TrimEnd('-');
    }

    private static Map FromParameter(string name, ParameterResource parameter) => new()
    {
        { "name", name },
        { "valueFrom", new Map
            {
                { parameter.Secret ? "secretKeyRef" : "configMapKeyRef", new Map
                    {
                        { "name", parameter.Secret ? KubernetesSyntax.SecretName : KubernetesSyntax.ConfigMapName },
                        { "key", parameter.Name },
                    }
                },
            }
        },
    };
}
