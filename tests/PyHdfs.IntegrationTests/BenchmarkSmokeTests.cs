using System.Diagnostics;
using System.Text.Json;
using PyHdfs.Testing;

namespace PyHdfs.IntegrationTests;

/// <summary>
/// The benchmark program (tests/PyHdfs.Benchmarks, docs/benchmarks.md) runs end to end in <c>--quick</c>
/// mode and writes every figure; no speed is asserted. It runs alone (its load would slow the
/// other end-to-end tests, and theirs would skew nothing it asserts but its run time).
/// </summary>
[Collection(nameof(BenchmarkSmokeTests))]
public sealed class BenchmarkSmokeTests
{
    private static readonly string[] ExpectedFigures =
    [
        "tcp_loopback", "disk_write", "disk_write_fsync", "disk_read", "crc32",
        "lib_put_64m_r1", "lib_get_64m_r1", "lib_put_64m_r3", "lib_get_64m_r3",
        "cli_put_64m_r1", "cli_get_64m_r1", "cli_put_64m_r3", "cli_get_64m_r3",
        "cli_put_64m_r1_peak_rss", "cli_get_64m_r1_peak_rss", "datanode_peak_rss",
        "small_put", "small_get",
        "meta_mkdir_c1", "meta_create_c1", "meta_stat_c1", "meta_list_c1", "meta_rename_c1",
        "meta_mkdir_c64", "meta_create_c64", "meta_stat_c64", "meta_list_c64", "meta_rename_c64",
        "meta_stat_c64_p50", "meta_stat_c64_p99",
        "ns_files", "ns_create_rate", "ns_namenode_rss_after", "ns_namenode_restart",
    ];

    [Fact]
    public async Task Quick_run_exits_zero_and_writes_every_figure_as_json()
    {
        using var directory = new TempDirectory("pyhdfs-bench-smoke");
        var output = directory.Combine("bench.json");
        // The same Configuration as this test assembly: .../bin/CONFIG/net10.0/
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var root = RepositoryLayout.Current.Root;
        var benchmark = Path.Combine(root, "tests", "PyHdfs.Benchmarks", "bin", configuration, RepositoryLayout.TargetFramework, "PyHdfs.Benchmarks.dll");
        Assert.True(File.Exists(benchmark), $"{benchmark} is not built (dotnet build PyHdfs.sln -c {configuration})");

        var info = new ProcessStartInfo(RepositoryLayout.DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory.Path,
        };
        info.ArgumentList.Add(benchmark);
        info.ArgumentList.Add("--quick");
        info.ArgumentList.Add("--output");
        info.ArgumentList.Add(output);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(6));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{await stdout}\n{await stderr}");
        Assert.Contains("JSON: ", await stdout, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken));
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("git_commit").GetString()));
        Assert.True(json.RootElement.GetProperty("machine").GetProperty("cores").GetInt32() > 0);
        var figures = json.RootElement.GetProperty("figures").EnumerateArray()
            .ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("value").GetDouble());
        Assert.All(ExpectedFigures, name =>
        {
            Assert.True(figures.TryGetValue(name, out var value), $"figure {name} is missing");
            Assert.True(value > 0, $"figure {name} is {value}");
        });
    }
}

[CollectionDefinition(nameof(BenchmarkSmokeTests), DisableParallelization = true)]
public sealed class BenchmarkSmokeCollection;
