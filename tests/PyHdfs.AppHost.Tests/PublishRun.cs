using System.Diagnostics;
using System.Text.Json.Nodes;
using PyHdfs.Testing;

namespace PyHdfs.AppHost.Tests;

/// <summary>
/// One run of the built AppHost in publish mode, as a user runs it: <c>dotnet PyHdfs.AppHost.dll --publisher manifest
/// --output-path OUT/aspire-manifest.json</c>, from an empty working directory, with secrets of known value in its
/// environment (so that a test can look for them in the output) and a data directory that must stay uncreated.
/// </summary>
public sealed class PublishRun : IDisposable
{
    public const string ClusterSecretValue = "cluster-secret-value-that-must-not-leak-0123456789";
    public const string RedisPasswordValue = "redis-password-value-that-must-not-leak-0123456789";

    private readonly TempDirectory _directory = new("pyhdfs-publish");

    private PublishRun(string[] extraArgs)
    {
        Directory.CreateDirectory(WorkingDirectory);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in (string[])[AppHostAssembly(), "--publisher", "manifest", "--output-path", ManifestPath,
            "--data-dir", DataDirectory, "--PyHdfs:ClusterFile=", .. extraArgs])
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["PyHdfs__ClusterSecret"] = ClusterSecretValue;
        start.Environment["Parameters__cluster-secret"] = ClusterSecretValue;
        start.Environment["Parameters__redis-password"] = RedisPasswordValue;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the AppHost did not finish publishing within 2 minutes:\n{output.Result}\n{error.Result}");
        }
        Output = output.Result + error.Result;
        ExitCode = process.ExitCode;
    }

    public static PublishRun Start(params string[] extraArgs) => new(extraArgs);

    public string OutputDirectory => _directory.Combine("out");
    public string ManifestPath => Path.Combine(OutputDirectory, "aspire-manifest.json");
    public string ComposePath => Path.Combine(OutputDirectory, "docker-compose.yaml");
    public string KubernetesPath => Path.Combine(OutputDirectory, "kubernetes.yaml");
    public string WorkingDirectory => _directory.Combine("cwd");
    public string DataDirectory => _directory.Combine("data");

    public int ExitCode { get; }

    /// <summary>The AppHost's stdout and stderr, for failure messages.</summary>
    public string Output { get; }

    public JsonObject Resources => JsonNode.Parse(File.ReadAllText(ManifestPath))!["resources"]!.AsObject();

    public JsonObject Resource(string name) =>
        Resources[name]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"no resource '{name}' in the manifest:\n{File.ReadAllText(ManifestPath)}");

    public static string? Env(JsonObject resource, string key) => resource["env"]?[key]?.GetValue<string>();

    /// <summary>The AppHost built beside this test project in the same configuration: PyHdfs.AppHost/bin/CONFIG/TFM.</summary>
    private static string AppHostAssembly()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var repository = output;
        while (repository is not null && !File.Exists(Path.Combine(repository.FullName, "PyHdfs.sln")))
        {
            repository = repository.Parent;
        }
        var path = Path.Combine(repository?.FullName ?? throw new InvalidOperationException("PyHdfs.sln not found above " + output),
            "PyHdfs.AppHost", "bin", output.Parent!.Name, output.Name, "PyHdfs.AppHost.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("the AppHost is not built", path);
    }

    public void Dispose() => _directory.Dispose();
}
