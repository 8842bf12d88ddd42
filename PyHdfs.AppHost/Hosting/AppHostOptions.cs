using System.Globalization;

namespace PyHdfs.AppHost.Hosting;

/// <summary>What the user (or a test fixture) chose for one run of the cluster.</summary>
public sealed class AppHostOptions
{
    public const string DefaultDataDirectory = ".pyhdfs-data";

    public int DataNodes { get; set; } = 3;

    public int NameNodes { get; set; } = 1;

    public string DataDirectory { get; set; } = DefaultDataDirectory;

    /// <summary>Default replication of new files; null leaves the NameNode's own default.</summary>
    public int? Replication { get; set; }

    /// <summary>Default block size of new files; null leaves the NameNode's own default.</summary>
    public long? BlockSizeBytes { get; set; }

    /// <summary>Extra configuration given to every service (e.g. <c>Registry__DataNodeTtlMs</c>); keys a service does not know are ignored.</summary>
    public IDictionary<string, string> ServiceSettings { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Where the CLI looks for the running cluster; null writes none (test fixtures). The same JSON
    /// always goes to DATA/cluster.json.
    /// </summary>
    public string? ClusterFilePath { get; set; } = DefaultClusterFilePath();

    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Progress and warnings (stderr for the command line; the test output for fixtures).</summary>
    public TextWriter Log { get; set; } = Console.Error;

    /// <summary>The ready line and the CLI hints (stdout for the command line).</summary>
    public TextWriter Output { get; set; } = Console.Out;

    /// <summary>
    /// TLS for every service's gRPC port and the DataNodes' block-transfer ports, with a local CA and
    /// certificate generated under DATA/tls (<see cref="DevelopmentCertificates"/>). Off by default.
    /// </summary>
    public bool Tls { get; set; }

    /// <summary>Whether redis-server may be installed with apt-get when it is missing (only ever as root).</summary>
    public bool InstallRedisIfMissing { get; set; } = true;

    public string FullDataDirectory => Path.GetFullPath(DataDirectory);

    /// <summary>
    /// A throwaway cluster run in-process (tests, benchmarks): its own data directory, no cluster file,
    /// no Redis install, all output to <paramref name="log"/>, and 500 ms heartbeats so that liveness is
    /// seen within seconds.
    /// </summary>
    public static AppHostOptions ForEmbeddedCluster(string dataDirectory, TextWriter log)
    {
        var options = new AppHostOptions
        {
            DataDirectory = dataDirectory,
            ClusterFilePath = null,
            InstallRedisIfMissing = false,
            StartTimeout = TimeSpan.FromSeconds(90),
            StopGracePeriod = TimeSpan.FromSeconds(5),
            Log = TextWriter.Synchronized(log),
        };
        options.Output = options.Log;
        options.ServiceSettings["Registry__HeartbeatIntervalMs"] = "500";
        options.ServiceSettings["DataNode__HeartbeatIntervalMs"] = "500";
        options.ServiceSettings["NameNode__DataNodeHeartbeatIntervalMs"] = "500";
        return options;
    }

    public static string DefaultClusterFilePath()
    {
        var overridden = Environment.GetEnvironmentVariable("PYHDFS_CLUSTER_FILE");
        return !string.IsNullOrWhiteSpace(overridden)
            ? overridden
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pyhdfs", "cluster.json");
    }

    public const string Usage = """
        Starts a PyHDFS cluster on this machine: redis-server, Zookeeper, Metadata, NameNode and N DataNodes.

        usage: dotnet run --project PyHdfs.AppHost -- [options]

          --datanodes N       DataNodes to start (default 3)
          --data-dir DIR      where every process keeps its data and logs (default ./.pyhdfs-data)
          --namenodes N       NameNodes: 1, or 2 for HA (an active and a standby; default 1)
          --replication N     default replication of new files (default: the NameNode's, 2)
          --block-size SIZE   default block size, bytes or with K/M/G suffix (default: the NameNode's, 128M)
          --set KEY=VALUE     extra configuration for every service, e.g. --set Registry__DataNodeTtlMs=10000
          --tls               TLS for gRPC and block transfer, with a local CA generated under DATA/tls
          -h, --help          show this help

        Ctrl+C stops every process. The dashboard URL is printed at start.
        dotnet run --project PyHdfs.AppHost -- publish --output DIR [options]  writes deployment manifests instead.
        """;

    /// <summary>Parses the command line; returns null and sets <paramref name="error"/> when it is invalid.</summary>
    public static AppHostOptions? Parse(IReadOnlyList<string> args, out string? error, out bool help)
    {
        var options = new AppHostOptions();
        error = null;
        help = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0 && arg != "--set")
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }
            string Value() => inline ?? (i + 1 < args.Count ? args[++i] : throw new FormatException($"{arg} needs a value"));
            try
            {
                switch (arg)
                {
                    case "-h" or "--help":
                        help = true;
                        return options;
                    case "--datanodes":
                        options.DataNodes = PositiveInt(arg, Value(), allowZero: true);
                        break;
                    case "--namenodes":
                        options.NameNodes = PositiveInt(arg, Value(), allowZero: false);
                        if (options.NameNodes > 2)
                        {
                            throw new FormatException("--namenodes: 1 or 2 (an active and a standby NameNode)");
                        }
                        break;
                    case "--data-dir":
                        options.DataDirectory = Value();
                        break;
                    case "--replication":
                        options.Replication = PositiveInt(arg, Value(), allowZero: false);
                        break;
                    case "--block-size":
                        options.BlockSizeBytes = ParseSize(arg, Value());
                        break;
                    case "--tls":
                        options.Tls = true;
                        break;
                    case "--set":
                        var setting = Value();
                        var split = setting.IndexOf('=', StringComparison.Ordinal);
                        if (split <= 0)
                        {
                            throw new FormatException($"--set expects KEY=VALUE, not '{setting}'");
                        }
                        options.ServiceSettings[setting[..split]] = setting[(split + 1)..];
                        break;
                    default:
                        throw new FormatException($"unknown option '{args[i]}'");
                }
            }
            catch (FormatException e)
            {
                error = e.Message;
                return null;
            }
        }
        return options;
    }

    private static int PositiveInt(string option, string value, bool allowZero) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && (n > 0 || (allowZero && n == 0))
            ? n
            : throw new FormatException($"{option}: '{value}' is not a {(allowZero ? "non-negative" : "positive")} integer");

    internal static long ParseSize(string option, string value)
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
            : throw new FormatException($"{option}: '{value}' is not a size (e.g. 1048576, 64M, 1G)");
    }
}
