using System.Text.Json;
using PyHdfs.AppHost.Hosting;
using PyHdfs.AppHost.Publishing;
using PyHdfs.Testing;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace PyHdfs.AppHost.Tests;

/// <summary><c>publish</c> from the real topology: the files parse, every reference resolves, each DataNode keeps its own volume.</summary>
public sealed class ManifestTests : IDisposable
{
    private const int DataNodes = 3;
    private readonly TempDirectory _directory = new("pyhdfs-publish");
    private readonly DistributedApplicationBuilder _builder;

    public ManifestTests()
    {
        _builder = DistributedApplication.CreateBuilder(new AppHostOptions { DataNodes = DataNodes, Replication = 2, ClusterFilePath = null });
        PyHdfsTopology.Add(_builder);
        Publisher.Write(_builder.Resources, _directory.Path, _builder.Layout);
    }

    public void Dispose() => _directory.Dispose();

    private string Read(string file) => File.ReadAllText(Path.Combine(_directory.Path, file));

    private static Dictionary<object, object> Map(object? node) => Assert.IsType<Dictionary<object, object>>(node);

    private static List<object> List(object? node) => Assert.IsType<List<object>>(node);

    [Fact]
    public void The_manifest_has_every_resource_in_aspire_shape_and_every_env_reference_resolves_to_a_resource_and_binding()
    {
        using var manifest = JsonDocument.Parse(Read(Publisher.Manifest));
        var resources = manifest.RootElement.GetProperty("resources");
        Assert.Equal(_builder.Resources.Select(r => r.Name).Order(), resources.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("container.v0", resources.GetProperty("redis").GetProperty("type").GetString());
        foreach (var project in _builder.Resources.OfType<ProjectResource>())
        {
            var entry = resources.GetProperty(project.Name);
            Assert.Equal("project.v0", entry.GetProperty("type").GetString());
            var csproj = Path.GetFullPath(Path.Combine(_directory.Path, entry.GetProperty("path").GetString()!));
            Assert.True(File.Exists(csproj), $"{project.Name}: {csproj} does not exist");
        }

        var references = 0;
        foreach (var resource in resources.EnumerateObject())
        {
            foreach (var variable in resource.Value.GetProperty("env").EnumerateObject())
            {
                foreach (var expression in DeploymentModel.Expressions(variable.Value.GetString()!))
                {
                    references++;
                    var parts = expression.Split('.');
                    Assert.True(resources.TryGetProperty(parts[0], out var target), $"{resource.Name}.{variable.Name}: '{{{expression}}}' names no resource");
                    if (parts[1] == "bindings")
                    {
                        Assert.True(target.GetProperty("bindings").TryGetProperty(parts[2], out _), $"{resource.Name}.{variable.Name}: '{parts[0]}' has no binding '{parts[2]}'");
                    }
                    else
                    {
                        Assert.Equal("connectionString", parts[1]);
                        Assert.True(target.TryGetProperty("connectionString", out _));
                    }
                }
            }
        }
        Assert.True(references >= 10, $"only {references} references in the manifest");
        Assert.Equal("{namenode.bindings.grpc.url}", resources.GetProperty("datanode-2").GetProperty("env").GetProperty("services__namenode__grpc__0").GetString());
        Assert.Equal("{redis.connectionString}", resources.GetProperty("zookeeper").GetProperty("env").GetProperty("ConnectionStrings__redis").GetString());
        Assert.True(resources.GetProperty("client").GetProperty("explicitStart").GetBoolean());
    }

    [Fact]
    public void Every_datanode_has_a_volume_of_its_own_in_the_manifest_and_in_compose()
    {
        using var manifest = JsonDocument.Parse(Read(Publisher.Manifest));
        var resources = manifest.RootElement.GetProperty("resources");
        var manifestVolumes = Enumerable.Range(1, DataNodes)
            .Select(i => resources.GetProperty($"datanode-{i}").GetProperty("volumes")[0].GetProperty("name").GetString())
            .ToList();
        Assert.Equal(DataNodes, manifestVolumes.Distinct().Count());

        var compose = Map(new DeserializerBuilder().Build().Deserialize<object>(Read(Publisher.Compose)));
        var services = Map(compose["services"]);
        Assert.Equal(_builder.Resources.Select(r => r.Name).Order(), services.Keys.Cast<string>().Order());
        var composeVolumes = Enumerable.Range(1, DataNodes).Select(i => (string)Assert.Single(List(Map(services[$"datanode-{i}"])["volumes"]))).ToList();
        Assert.Equal(DataNodes, composeVolumes.Select(v => v.Split(':')[0]).Distinct().Count());
        Assert.All(composeVolumes, v => Assert.EndsWith(":/data", v, StringComparison.Ordinal));
        var declared = Map(compose["volumes"]).Keys.Cast<string>().ToHashSet();
        Assert.All(composeVolumes, v => Assert.Contains(v.Split(':')[0], declared));

        // References are resolved to compose service names; the demo client waits behind a profile.
        var datanode = Map(Map(services["datanode-1"])["environment"]);
        Assert.Equal("http://namenode:8080", datanode["services__namenode__grpc__0"]);
        Assert.Equal("datanode-1", datanode["DataNode__Host"]);
        Assert.Equal("redis:6379", Map(Map(services["zookeeper"])["environment"])["ConnectionStrings__redis"]);
        Assert.Equal(["demo"], List(Map(services["client"])["profiles"]));
        Assert.Equal("http://namenode:8080", Map(Map(services["client"])["environment"])["PYHDFS_NAMENODE"]);
    }

    [Fact]
    public void Kubernetes_has_services_statefulsets_with_claims_for_data_and_one_claim_per_datanode_pod()
    {
        var documents = KubernetesDocuments(Read(Publisher.Kubernetes));
        Dictionary<object, object> Find(string kind, string name) =>
            Assert.Single(documents, d => (string)d["kind"] == kind && (string)Map(d["metadata"])["name"] == name);

        foreach (var service in new[] { "redis", "zookeeper", "metadata", "namenode", "datanode" })
        {
            Find("Service", service);
        }
        Assert.Equal("None", Map(Find("Service", "datanode")["spec"])["clusterIP"]);

        var datanodes = Map(Find("StatefulSet", "datanode")["spec"]);
        Assert.Equal(DataNodes.ToString(), datanodes["replicas"]);
        var claim = Map(Assert.Single(List(datanodes["volumeClaimTemplates"])));
        Assert.Equal("data", Map(claim["metadata"])["name"]);
        var container = Map(Assert.Single(List(Map(Map(datanodes["template"])["spec"])["containers"])));
        Assert.Contains(List(container["volumeMounts"]), m => (string)Map(m)["mountPath"] == "/data");
        var env = List(container["env"]).Select(Map).ToDictionary(e => (string)e["name"]);
        Assert.Equal("$(POD_NAME)", env["DataNode__Id"]["value"]);
        Assert.Equal("http://namenode:8080", env["services__namenode__grpc__0"]["value"]);

        foreach (var stateful in new[] { "metadata", "redis" })
        {
            Assert.Single(List(Map(Find("StatefulSet", stateful)["spec"])["volumeClaimTemplates"]));
        }
        Find("StatefulSet", "namenode");
        Find("Deployment", "zookeeper");
        Assert.Equal("true", Map(Find("Job", "client")["spec"])["suspend"]);
    }

    [Fact]
    public void Yaml_strings_that_look_like_other_things_stay_strings()
    {
        var map = new YamlWriter.Map
        {
            { "empty", "" },
            { "number", "8080" },
            { "boolean", "yes" },
            { "syntax", "a: b # {c} [d] - e" },
            { "list", new List<string> { "--save", "" } },
            { "nested", new List<YamlWriter.Map> { new() { { "name", "x" }, { "value", "$(POD_NAME).datanode" } } } },
        };

        var parsed = Map(new DeserializerBuilder().Build().Deserialize<object>(YamlWriter.Document(map)));

        Assert.Equal("", parsed["empty"]);
        Assert.Equal("8080", parsed["number"]);
        Assert.Equal("yes", parsed["boolean"]);
        Assert.Equal("a: b # {c} [d] - e", parsed["syntax"]);
        Assert.Equal(["--save", ""], List(parsed["list"]));
        Assert.Equal("$(POD_NAME).datanode", Map(Assert.Single(List(parsed["nested"])))["value"]);
    }

    [Fact]
    public void A_reference_to_a_resource_outside_the_graph_is_an_error_naming_it()
    {
        var resources = DeploymentModel.From(_builder.Resources);

        var error = Assert.Throws<InvalidOperationException>(() => DeploymentModel.Resolve("{ghost.bindings.grpc.url}", resources, r => r.Name));

        Assert.Contains("'ghost'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Publish_on_the_command_line_takes_an_output_directory_and_the_usual_options()
    {
        var parsed = PublishArguments.TryParse(["publish", "--output", "out", "--datanodes", "5"]);

        Assert.NotNull(parsed);
        Assert.Equal("out", parsed.Value.Output);
        Assert.Equal(["--datanodes", "5"], parsed.Value.Options);
        Assert.Null(PublishArguments.TryParse(["--datanodes", "5"]));
        Assert.Contains("--output", PublishArguments.TryParse(["publish"])!.Value.Error, StringComparison.Ordinal);
    }

    private static List<Dictionary<object, object>> KubernetesDocuments(string text)
    {
        var deserializer = new DeserializerBuilder().Build();
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        var documents = new List<Dictionary<object, object>>();
        while (parser.Accept<DocumentStart>(out _))
        {
            documents.Add(Map(deserializer.Deserialize<object>(parser)));
        }
        return documents;
    }
}
