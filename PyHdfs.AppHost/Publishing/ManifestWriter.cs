using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PyHdfs.AppHost.Hosting;

namespace PyHdfs.AppHost.Publishing;

/// <summary>
/// manifest.json in the shape of Aspire's deployment manifest: services as <c>project.v0</c> (path to
/// the csproj), Redis as <c>container.v0</c>, with env, bindings and <c>{name.bindings.grpc.url}</c> references.
/// </summary>
public static class ManifestWriter
{
    public const string Schema = "https://json.schemastore.org/aspire-8.0.json";

    public static string Write(IReadOnlyList<DeployedResource> resources, string manifestDirectory, RepositoryLayout layout)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", Schema);
            json.WriteStartObject("resources");
            foreach (var resource in resources)
            {
                json.WriteStartObject(resource.Name);
                if (resource.IsRedis)
                {
                    json.WriteString("type", "container.v0");
                    json.WriteString("connectionString", $"{{{resource.Name}.bindings.tcp.host}}:{{{resource.Name}.bindings.tcp.port}}");
                    json.WriteString("image", resource.Image);
                }
                else
                {
                    json.WriteString("type", "project.v0");
                    var csproj = Path.Combine(layout.Root, "services", resource.Project!.ProjectName, resource.Project.ProjectName + ".csproj");
                    json.WriteString("path", Path.GetRelativePath(manifestDirectory, csproj).Replace('\\', '/'));
                }
                if (resource.Args.Count > 0)
                {
                    json.WriteStartArray("args");
                    resource.Args.ToList().ForEach(json.WriteStringValue);
                    json.WriteEndArray();
                }
                if (resource.Volume is not null)
                {
                    json.WriteStartArray("volumes");
                    json.WriteStartObject();
                    json.WriteString("name", resource.Volume);
                    json.WriteString("target", DeploymentModel.DataMount);
                    json.WriteBoolean("readOnly", false);
                    json.WriteEndObject();
                    json.WriteEndArray();
                }
                if (resource.ExplicitStart)
                {
                    json.WriteBoolean("explicitStart", true);
                }
                json.WriteStartObject("env");
                foreach (var (key, value) in resource.Env)
                {
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
                json.WriteStartObject("bindings");
                foreach (var binding in resource.Bindings)
                {
                    json.WriteStartObject(binding.Name);
                    json.WriteString("scheme", binding.Scheme);
                    json.WriteString("protocol", "tcp");
                    json.WriteString("transport", binding.Transport);
                    json.WriteNumber("targetPort", binding.TargetPort);
                    json.WriteEndObject();
                }
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
