using System.Reflection;
using PyHdfs.AppHost.Hosting;
using PyHdfs.Testing;

namespace PyHdfs.AppHost.Tests;

/// <summary>
/// A repository layout whose only service is FakeService, so the orchestrator runs real child
/// processes (with the real ServiceDefaults) without the PyHDFS services.
/// </summary>
internal sealed class FakeApplication : IAsyncDisposable
{
    public static readonly ServiceProject Fake = new("PyHdfs.FakeService");

    private FakeApplication(TempDirectory root, DistributedApplicationBuilder builder)
    {
        Root = root;
        Builder = builder;
    }

    public TempDirectory Root { get; }

    public DistributedApplicationBuilder Builder { get; }

    public StringWriter Log { get; } = new();

    public DistributedApplication? App { get; private set; }

    public string DataDirectory => Builder.Options.FullDataDirectory;

    public static FakeApplication Create(Action<AppHostOptions>? configure = null)
    {
        var root = new TempDirectory("pyhdfs-apphost");
        var real = RepositoryLayout.Discover();
        Directory.CreateDirectory(root.Combine("services"));
        Directory.CreateSymbolicLink(root.Combine("services", Fake.ProjectName),
            Path.Combine(real.Root, "tests", "PyHdfs.AppHost.Tests", "FakeService"));
        var options = new AppHostOptions
        {
            DataDirectory = root.Combine("data"),
            ClusterFilePath = null,
            StopGracePeriod = TimeSpan.FromSeconds(5),
            StartTimeout = TimeSpan.FromSeconds(60),
            InstallRedisIfMissing = false,
        };
        var configuration = typeof(FakeApplication).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var builder = DistributedApplication.CreateBuilder(options, new RepositoryLayout(root.Path, configuration));
        var fake = new FakeApplication(root, builder);
        options.Log = TextWriter.Synchronized(fake.Log);
        options.Output = options.Log;
        configure?.Invoke(options);
        return fake;
    }

    public DistributedApplication Build() => App = Builder.Build();

    public Dictionary<string, string> WiringOf(string name) =>
        System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(DataDirectory, name + ".env.json")))!;

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }
        Root.Dispose();
    }
}
