using System.Globalization;

namespace PyHdfs.IntegrationTests;

/// <summary>What a test cluster is started with: the AppHost's own command-line options, nothing else.</summary>
public sealed class ClusterOptions
{
    public int DataNodes { get; set; } = 3;

    public int NameNodes { get; set; } = 1;

    public int? Replication { get; set; }

    public long? BlockSizeBytes { get; set; }

    public bool Tls { get; set; }

    /// <summary><c>--set KEY=VALUE</c> for every service.</summary>
    public IDictionary<string, string> ServiceSettings { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The AppHost's arguments for a cluster in <paramref name="dataDirectory"/> that writes no ~/.pyhdfs cluster file.</summary>
    public IReadOnlyList<string> ToArguments(string dataDirectory, string clusterSecret)
    {
        var args = new List<string>
        {
            "--datanodes", DataNodes.ToString(CultureInfo.InvariantCulture),
            "--namenodes", NameNodes.ToString(CultureInfo.InvariantCulture),
            "--data-dir", dataDirectory,
            "--PyHdfs:ClusterFile=",
            $"--PyHdfs:ClusterSecret={clusterSecret}",
        };
        if (Replication is { } replication)
        {
            args.AddRange(["--replication", replication.ToString(CultureInfo.InvariantCulture)]);
        }
        if (BlockSizeBytes is { } blockSize)
        {
            args.AddRange(["--block-size", blockSize.ToString(CultureInfo.InvariantCulture)]);
        }
        if (Tls)
        {
            args.Add("--tls");
        }
        foreach (var (key, value) in ServiceSettings)
        {
            args.AddRange(["--set", $"{key}={value}"]);
        }
        return args;
    }
}
