using System.Xml.Linq;

namespace PyHdfs.AppHost.Publishing;

/// <summary>
/// The image a resource runs as: a container's own image (its <see cref="ContainerImageAnnotation"/>), or for a project
/// the image <c>dotnet publish -t:PublishContainer</c> builds from it: the csproj's <c>ContainerRepository</c> and
/// <c>ContainerImageTag</c> (pyhdfs/namenode:latest), else the project's name in lower case.
/// </summary>
public static class ContainerImages
{
    public static string Of(IResource resource)
    {
        if (resource.TryGetLastAnnotation<ContainerImageAnnotation>(out var image))
        {
            var name = image.Registry is { Length: > 0 } registry ? $"{registry}/{image.Image}" : image.Image;
            return image.SHA256 is { Length: > 0 } digest ? $"{name}@sha256:{digest}" : $"{name}:{image.Tag ?? "latest"}";
        }
        if (resource is ProjectResource project)
        {
            return OfProject(project.GetProjectMetadata().ProjectPath);
        }
        throw new InvalidOperationException($"'{resource.Name}' has no container image");
    }

    public static string OfProject(string projectPath)
    {
        var properties = XDocument.Load(projectPath).Descendants("PropertyGroup").Elements().ToList();
        string? Property(string name) => properties.LastOrDefault(p => p.Name.LocalName == name)?.Value.Trim() is { Length: > 0 } value ? value : null;
        var repository = Property("ContainerRepository") ?? Path.GetFileNameWithoutExtension(projectPath).ToLowerInvariant();
        return $"{repository}:{Property("ContainerImageTag") ?? "latest"}";
    }
}
