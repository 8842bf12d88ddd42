using PyHdfs.AppHost.Hosting;

namespace PyHdfs.AppHost.Publishing;

/// <summary><c>publish --output DIR</c>: writes manifest.json, docker-compose.yaml and kubernetes.yaml from the resource graph.</summary>
public static class Publisher
{
    public const string Manifest = "manifest.json";
    public const string Compose = "docker-compose.yaml";
    public const string Kubernetes = "kubernetes.yaml";

    public static IReadOnlyList<string> Write(IReadOnlyList<Resource> graph, string outputDirectory, RepositoryLayout layout)
    {
        var directory = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(directory);
        var resources = DeploymentModel.From(graph);
        var files = new (string Name, string Text)[]
        {
            (Manifest, ManifestWriter.Write(resources, directory, layout)),
            (Compose, ComposeWriter.Write(resources)),
            (Kubernetes, KubernetesWriter.Write(resources)),
        };
        foreach (var (name, text) in files)
        {
            File.WriteAllText(Path.Combine(directory, name), text);
        }
        return [.. files.Select(f => Path.Combine(directory, f.Name))];
    }
}
