using PyHdfs.AppHost.Hosting;
using PyHdfs.Testing;

namespace PyHdfs.AppHost.Tests;

public sealed class SmallPartsTests
{
    [Fact]
    public void Log_ring_keeps_only_the_last_lines()
    {
        var ring = new LogRing(capacity: 3);
        for (var i = 1; i <= 5; i++)
        {
            ring.Add(new LogLine(DateTimeOffset.UtcNow, false, $"line {i}"));
        }
        Assert.Equal(["line 3", "line 4", "line 5"], ring.Snapshot().Select(l => l.Text));
        Assert.Equal(["line 5"], ring.Tail(1));
    }

    [Fact]
    public void Cluster_file_round_trips_and_is_deleted_only_by_its_owner()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("nested", "cluster.json");
        new ClusterFile(["http://127.0.0.1:1234"], "/data", 4242).Write(path);
        var read = ClusterFile.TryRead(path)!;
        Assert.Equal(["http://127.0.0.1:1234"], read.NameNodes);
        Assert.Equal(4242, read.AppHostPid);
        Assert.Contains("\"namenodes\"", File.ReadAllText(path), StringComparison.Ordinal);

        ClusterFile.DeleteIfOwned(path, 1);
        Assert.True(File.Exists(path));
        ClusterFile.DeleteIfOwned(path, 4242);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Repository_layout_points_at_the_services_build_output()
    {
        var layout = RepositoryLayout.Discover();
        Assert.True(File.Exists(Path.Combine(layout.Root, RepositoryLayout.SolutionFile)));
        Assert.Equal(Path.Combine(layout.Root, "services", "PyHdfs.Cli", "bin", layout.Configuration, "net10.0", "pyhdfs.dll"),
            layout.AssemblyPath(ServiceProject.Cli));
    }
}
