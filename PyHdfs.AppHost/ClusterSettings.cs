using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace PyHdfs.AppHost;

/// <summary>
/// What the user chose for this cluster, read from the AppHost's configuration: the command line
/// (<c>--datanodes 3</c>, translated by <see cref="AppHostArguments"/>), the environment
/// (<c>PyHdfs__DataNodes=3</c>) or appsettings.json (<c>"PyHdfs": { "DataNodes": 3 }</c>).
/// </summary>
public sealed record ClusterSettings
{
    public const string SectionName = "PyHdfs";
    public const string DefaultDataDirectory = ".pyhdfs-data";

    public int DataNodes { get; init; } = 3;

    /// <summary>1, or 2 for HA: an active and a standby NameNode.</summary>
    public int NameNodes { get; init; } = 1;

    /// <summary>Absolute; every resource keeps its state below it (DATA/datanode-1, DATA/metadata, DATA/redis...).</summary>
    public string DataDirectory { get; init; } = Path.GetFullPath(DefaultDataDirectory);

    /// <summary>Default replication of new files; null leaves the NameNode's own default.</summary>
    public int? Replication { get; init; }

    /// <summary>Default block size of new files; null leaves the NameNode's own default.</summary>
    public long? BlockSizeBytes { get; init; }

    /// <summary>TLS for gRPC and block transfer with a local CA under DATA/tls.</summary>
    public bool Tls { get; init; }

    /// <summary>The first NameNode's WebHDFS port (the second's is one more); null: any free port.</summary>
    public int? WebHdfsPort { get; init; }

    /// <summary>Extra configuration given to every service (<c>--set Registry__DataNodeTtlMs=6000</c>).</summary>
    public IReadOnlyDictionary<string, string> ServiceSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>Where the CLI finds the running cluster; empty writes none (tests). DATA/cluster.json is always written.</summary>
    public string? ClusterFilePath { get; init; }

    public static ClusterSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var settings = new ClusterSettings
        {
            DataNodes = Int(section, "DataNodes", 3, min: 0),
            NameNodes = Int(section, "NameNodes", 1, min: 1),
            DataDirectory = Path.GetFullPath(section["DataDir"] is { Length: > 0 } dir ? dir : DefaultDataDirectory),
            Replication = section["Replication"] is { Length: > 0 } ? Int(section, "Replication", 0, min: 1) : null,
            BlockSizeBytes = section["BlockSize"] is { Length: > 0 } size ? ParseSize("--block-size", size) : null,
            Tls = bool.TryParse(section["Tls"], out var tls) && tls,
            WebHdfsPort = section["WebHdfsPort"] is { Length: > 0 } ? Int(section, "WebHdfsPort", 0, min: 1) : null,
            // Nested keys (Set:NameNode:LeaseHardLimitMs) flattened back to the services' environment form (NameNode__LeaseHardLimitMs).
            ServiceSettings = section.GetSection("Set").AsEnumerable(makePathsRelative: true)
                .Where(c => c.Value is not null)
                .ToDictionary(c => c.Key.Replace(":", "__", StringComparison.Ordinal), c => c.Value!, StringComparer.Ordinal),
            ClusterFilePath = section["ClusterFile"] is { } file ? (file.Length == 0 ? null : file) : DefaultClusterFilePath(),
        };
        if (settings.NameNodes > 2)
        {
            throw new ArgumentException("--namenodes: 1 or 2 (an active and a standby NameNode)");
        }
        return settings;
    }

    public static string DefaultClusterFilePath() =>
        Environment.GetEnvironmentVariable("PYHDFS_CLUSTER_FILE") is { Length: > 0 } overridden
            ? overridden
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pyhdfs", "cluster.json");

    private static int Int(IConfiguration section, string key, int fallback, int min)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw new ArgumentException($"--{key.ToLowerInvariant()}: '{text}' is not an integer of at least {min}");
    }

    public static long ParseSize(string option, string value)
    {
        var text = value.Trim().ToUpperInvariant().TrimEnd('B').TrimEnd('I');
        long factor = 1;
        if (text.Length > 0 && "KMG".Contains(text[^1], StringComparison.Ordinal))
        {
            factor = text[^1] switch { 'K' => 1L << 10, 'M' => 1L << 20, _ => 1L << 30 };
            text = text[..^1];
        }
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 && n <= long.MaxValue / factor
            ? n * factor
            : throw new ArgumentException($"{option}: '{value}' is not a size (e.g. 1048576, 64M, 1G)");
    }
}
