using System.Text.Json.Nodes;

namespace PyHdfs.AppHost.Tests;

/// <summary>The default topology published once (a process run of the built AppHost), then read three ways.</summary>
public sealed class PublishFixture : IDisposable
{
    public PublishRun Run { get; } = PublishRun.Start();

    public void Dispose() => Run.Dispose();
}

public sealed class PublishTests(PublishFixture fixture) : IClassFixture<PublishFixture>
{
    private static readonly string[] Services = ["zookeeper", "metadata", "namenode", "datanode-1", "datanode-2", "datanode-3", "client"];
    private static readonly string[] DataNodes = ["datanode-1", "datanode-2", "datanode-3"];

    private PublishRun Run => fixture.Run;

    [Fact]
    public void Publishing_succeeds_and_writes_the_three_files_and_nothing_else()
    {
        Assert.True(Run.ExitCode == 0, Run.Output);
        Assert.Equal(["aspire-manifest.json", "docker-compose.yaml", "kubernetes.yaml"],
            Directory.GetFileSystemEntries(Run.OutputDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(Directory.GetFileSystemEntries(Run.WorkingDirectory));
        Assert.False(Directory.Exists(Run.DataDirectory), "publish mode created the data directory");
    }

    [Fact]
    public void No_secret_value_is_in_any_output()
    {
        foreach (var file in new[] { Run.ManifestPath, Run.ComposePath, Run.KubernetesPath })
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain(PublishRun.ClusterSecretValue, text, StringComparison.Ordinal);
            Assert.DoesNotContain(PublishRun.RedisPasswordValue, text, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(PublishRun.ClusterSecretValue, Run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Manifest_has_redis_as_a_container_with_its_volume_and_a_generated_secret_password()
    {
        var redis = Run.Resource("redis");
        Assert.Equal("container.v0", redis["type"]!.GetValue<string>());
        Assert.StartsWith("docker.io/library/redis:", redis["image"]!.GetValue<string>(), StringComparison.Ordinal);
        var volume = Assert.Single(redis["volumes"]!.AsArray())!;
        Assert.Equal("pyhdfs-redis-data", volume["name"]!.GetValue<string>());
        Assert.Equal("/data", volume["target"]!.GetValue<string>());
        Assert.Equal(6379, redis["bindings"]!["tcp"]!["targetPort"]!.GetValue<int>());
        Assert.Contains("{redis-password.value}", redis["connectionString"]!.GetValue<string>(), StringComparison.Ordinal);

        var password = Run.Resource("redis-password")["inputs"]!["value"]!;
        Assert.True(password["secret"]!.GetValue<bool>());
        Assert.NotNull(password["default"]!["generate"]);
    }

    [Fact]
    public void Manifest_has_the_cluster_secret_as_a_secret_parameter_without_a_value()
    {
        var secret = Run.Resource("cluster-secret");
        Assert.Equal("parameter.v0", secret["type"]!.GetValue<string>());
        Assert.True(secret["inputs"]!["value"]!["secret"]!.GetValue<bool>());
        Assert.Null(secret["inputs"]!["value"]!["default"]);
        foreach (var name in Services.Except(["client"]))
        {
            Assert.Equal("{cluster-secret.value}", PublishRun.Env(Run.Resource(name), "PyHdfs__ClusterSecret"));
        }
    }

    [Theory]
    [InlineData("zookeeper", "PyHdfs.Zookeeper")]
    [InlineData("metadata", "PyHdfs.Metadata")]
    [InlineData("namenode", "PyHdfs.NameNode")]
    [InlineData("datanode-1", "PyHdfs.DataNode")]
    [InlineData("datanode-2", "PyHdfs.DataNode")]
    [InlineData("datanode-3", "PyHdfs.DataNode")]
    [InlineData("client", "PyHdfs.Cli")]
    public void Every_service_is_a_project_whose_path_names_its_csproj(string name, string project)
    {
        var resource = Run.Resource(name);
        Assert.Matches("^project\\.v[01]$", resource["type"]!.GetValue<string>());
        var path = Path.GetFullPath(Path.Combine(Run.OutputDirectory, resource["path"]!.GetValue<string>()));
        Assert.Equal(project + ".csproj", Path.GetFileName(path));
        Assert.True(File.Exists(path), path);
    }

    [Theory]
    [InlineData("zookeeper")]
    [InlineData("metadata")]
    [InlineData("namenode")]
    [InlineData("datanode-1")]
    public void Services_listen_on_container_ports_on_every_interface(string name)
    {
        var resource = Run.Resource(name);
        Assert.Equal(8080, resource["bindings"]!["http"]!["targetPort"]!.GetValue<int>());
        var grpc = resource["bindings"]!["grpc"]!;
        Assert.Equal(8081, grpc["targetPort"]!.GetValue<int>());
        Assert.Equal("http2", grpc["transport"]!.GetValue<string>());
        Assert.Equal($"{{{name}.bindings.grpc.scheme}}://0.0.0.0:{{{name}.bindings.grpc.targetPort}}", PublishRun.Env(resource, "Kestrel__Endpoints__grpc__Url"));
        Assert.Equal("Http2", PublishRun.Env(resource, "Kestrel__Endpoints__grpc__Protocols"));
    }

    [Fact]
    public void Manifest_env_bindings_wire_the_services_together()
    {
        Assert.Equal("{redis.connectionString}", PublishRun.Env(Run.Resource("zookeeper"), "ConnectionStrings__redis"));
        Assert.Equal("/data/namespace.db", PublishRun.Env(Run.Resource("metadata"), "Metadata__DatabasePath"));

        var namenode = Run.Resource("namenode");
        Assert.Equal("{zookeeper.bindings.grpc.url}", PublishRun.Env(namenode, "services__zookeeper__grpc__0"));
        Assert.Equal("{metadata.bindings.grpc.url}", PublishRun.Env(namenode, "services__metadata__grpc__0"));
        Assert.Equal("{namenode.bindings.grpc.url}", PublishRun.Env(namenode, "NameNode__AdvertisedAddress"));

        var client = Run.Resource("client");
        Assert.Equal(["demo", "--trace"], client["args"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("{namenode.bindings.grpc.url}", PublishRun.Env(client, "PYHDFS_NAMENODE"));
    }

    [Fact]
    public void Manifest_datanodes_keep_blocks_in_data_and_advertise_their_own_host()
    {
        foreach (var name in DataNodes)
        {
            var datanode = Run.Resource(name);
            Assert.Equal(name, PublishRun.Env(datanode, "DataNode__Id"));
            Assert.Equal("/data", PublishRun.Env(datanode, "DataNode__DataDir"));
            Assert.Equal($"{{{name}.bindings.data.host}}", PublishRun.Env(datanode, "DataNode__Host"));
            Assert.Equal($"{{{name}.bindings.data.targetPort}}", PublishRun.Env(datanode, "DataNode__DataPort"));
            Assert.Equal("{namenode.bindings.grpc.url}", PublishRun.Env(datanode, "services__namenode__grpc__0"));
            var data = datanode["bindings"]!["data"]!;
            Assert.Equal(9866, data["targetPort"]!.GetValue<int>());
            Assert.Equal("tcp", data["transport"]!.GetValue<string>());
        }
    }

    [Fact]
    public void No_local_path_of_this_machine_reaches_the_manifest()
    {
        var values = Run.Resources.SelectMany(r => r.Value!["env"]?.AsObject().Select(e => e.Value!.GetValue<string>()) ?? []).ToList();

        Assert.NotEmpty(values);
        Assert.DoesNotContain(values, v => v.Contains(Path.GetTempPath(), StringComparison.Ordinal) || v.Contains("127.0.0.1", StringComparison.Ordinal));
        Assert.All(values.Where(v => v.StartsWith('/')), v => Assert.StartsWith("/data", v, StringComparison.Ordinal));
    }

    [Fact]
    public void Compose_has_a_service_per_resource_with_images_volumes_and_resolved_addresses()
    {
        var compose = Assert.Single(YamlDocuments.ReadAll(File.ReadAllText(Run.ComposePath)));
        var services = compose.Map("services");
        Assert.Equal(["redis", .. Services], services.Keys.Cast<string>());

        foreach (var (name, volume) in DataNodes.Append("metadata").Append("redis").Select(n => (n, $"pyhdfs-{n}-data")))
        {
            Assert.Equal([$"{volume}:/data"], services.Map(name).List("volumes").Cast<string>());
            Assert.True(compose.Map("volumes").ContainsKey(volume), volume);
        }
        Assert.Equal("pyhdfs/namenode:latest", services.Map("namenode").Text("image"));
        Assert.Equal("pyhdfs/datanode:latest", services.Map("datanode-2").Text("image"));
        Assert.Equal("http://metadata:8081", services.Map("namenode").Map("environment").Text("services__metadata__grpc__0"));
        Assert.Equal("datanode-2", services.Map("datanode-2").Map("environment").Text("DataNode__Host"));
        Assert.StartsWith("${CLUSTER_SECRET:?", services.Map("namenode").Map("environment").Text("PyHdfs__ClusterSecret"), StringComparison.Ordinal);
        Assert.StartsWith("redis:6379,password=${REDIS_PASSWORD:?", services.Map("zookeeper").Map("environment").Text("ConnectionStrings__redis"), StringComparison.Ordinal);
        // A literal $ must reach redis's shell, not compose's interpolation.
        Assert.Contains("$$REDIS_PASSWORD", services.Map("redis").List("command").Cast<string>().Last(), StringComparison.Ordinal);
        Assert.Equal(["explicit-start"], services.Map("client").List("profiles").Cast<string>());
        Assert.True(services.Map("datanode-1").Map("depends_on").ContainsKey("namenode"));
    }

    [Fact]
    public void Kubernetes_has_statefulsets_with_claims_for_whatever_keeps_data()
    {
        var documents = YamlDocuments.ReadAll(File.ReadAllText(Run.KubernetesPath));
        string Name(Dictionary<object, object> d) => d.Map("metadata").Text("name")!;
        List<string> OfKind(string kind) => [.. documents.Where(d => d.Text("kind") == kind).Select(Name).Order(StringComparer.Ordinal)];

        Assert.Equal(["datanode-1", "datanode-2", "datanode-3", "metadata", "redis"], OfKind("StatefulSet"));
        Assert.Equal(["namenode", "zookeeper"], OfKind("Deployment"));
        Assert.Equal(["client"], OfKind("Job"));
        Assert.Equal(["datanode-1", "datanode-2", "datanode-3", "metadata", "namenode", "redis", "zookeeper"], OfKind("Service"));

        foreach (var set in documents.Where(d => d.Text("kind") == "StatefulSet"))
        {
            var claim = Assert.Single(set.Map("spec").List("volumeClaimTemplates"));
            var container = Assert.Single(set.Map("spec").Map("template").Map("spec").List("containers"));
            var mount = Assert.Single(container.List("volumeMounts"));
            Assert.Equal(claim.Map("metadata").Text("name"), mount.Text("name"));
            Assert.Equal("/data", mount.Text("mountPath"));
            Assert.Equal(Name(set), set.Map("spec").Text("serviceName"));
        }
        var datanodeService = documents.Single(d => d.Text("kind") == "Service" && Name(d) == "datanode-1");
        Assert.Contains(datanodeService.Map("spec").List("ports"), p => p.Text("name") == "data" && (string?)((Dictionary<object, object>)p)["port"] == "9866");
        Assert.Equal("true", (string?)documents.Single(d => d.Text("kind") == "Job").Map("spec")["suspend"]);
    }

    [Fact]
    public void Kubernetes_takes_secrets_from_a_secret_and_expands_them_in_composite_values()
    {
        var documents = YamlDocuments.ReadAll(File.ReadAllText(Run.KubernetesPath));
        List<object> EnvOf(string name) => Assert.Single(documents
            .Single(d => d.Text("kind") is "Deployment" or "StatefulSet" && d.Map("metadata").Text("name") == name)
            .Map("spec").Map("template").Map("spec").List("containers")).List("env");

        var namenodeSecret = EnvOf("namenode").Single(e => e.Text("name") == "PyHdfs__ClusterSecret").Map("valueFrom").Map("secretKeyRef");
        Assert.Equal("pyhdfs-secrets", namenodeSecret.Text("name"));
        Assert.Equal("cluster-secret", namenodeSecret.Text("key"));

        var zookeeper = EnvOf("zookeeper");
        var passwordIndex = zookeeper.FindIndex(e => e.Text("name") == "PARAMETER_REDIS_PASSWORD");
        var connectionIndex = zookeeper.FindIndex(e => e.Text("name") == "ConnectionStrings__redis");
        Assert.InRange(passwordIndex, 0, connectionIndex - 1);
        Assert.Equal("redis-password", zookeeper[passwordIndex].Map("valueFrom").Map("secretKeyRef").Text("key"));
        Assert.Equal("redis:6379,password=$(PARAMETER_REDIS_PASSWORD)", zookeeper[connectionIndex].Text("value"));
    }
}
