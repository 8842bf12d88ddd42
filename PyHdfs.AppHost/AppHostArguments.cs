namespace PyHdfs.AppHost;

/// <summary>
/// Turns PyHDFS's own switches into configuration keys for Aspire's builder (<c>--datanodes 3</c>
/// becomes <c>--PyHdfs:DataNodes=3</c>, <c>--tls</c> becomes <c>--PyHdfs:Tls=true</c>), so that the
/// command line, the environment and appsettings.json are one configuration. Aspire's own arguments
/// (<c>--publisher manifest --output-path FILE</c>, <c>--operation publish</c>) pass through unchanged.
/// </summary>
public static class AppHostArguments
{
    public const string Usage = """
        Starts a PyHDFS cluster on this machine under .NET Aspire: redis, zookeeper, metadata, the NameNode(s),
        N DataNodes and the demo client, with Aspire's dashboard.

        usage: dotnet run --project PyHdfs.AppHost -- [options]

          --datanodes N       DataNodes to start (default 3)
          --data-dir DIR      where every resource keeps its data (default ./.pyhdfs-data)
          --namenodes N       NameNodes: 1, or 2 for HA (an active and a standby; default 1)
          --replication N     default replication of new files (default: the NameNode's, 2)
          --block-size SIZE   default block size, bytes or with K/M/G suffix (default: the NameNode's, 128M)
          --webhdfs-port N    the NameNode's WebHDFS port (default: any free one; 9870 is Hadoop 3's, 50070 Hadoop 2's);
                              with --namenodes 2 the second NameNode takes N+1
          --set KEY=VALUE     extra configuration for every service, e.g. --set Registry__DataNodeTtlMs=10000
          --tls               TLS for gRPC and block transfer, with a local CA generated under DATA/tls
          -h, --help          show this help

        Each option is also read from the environment (PyHdfs__DataNodes=5, PyHdfs__Set__KEY=VALUE) and from
        appsettings.json ("PyHdfs": { "DataNodes": 5 }). Ctrl+C (or SIGTERM) stops every process.

        Aspire's manifest of the same topology, plus docker-compose.yaml and kubernetes.yaml derived from it:
          dotnet run --project PyHdfs.AppHost -- --publisher manifest --output-path ./deploy/aspire-manifest.json
        """;

    private static readonly Dictionary<string, string> ValueOptions = new(StringComparer.Ordinal)
    {
        ["--datanodes"] = "DataNodes",
        ["--namenodes"] = "NameNodes",
        ["--data-dir"] = "DataDir",
        ["--replication"] = "Replication",
        ["--block-size"] = "BlockSize",
        ["--webhdfs-port"] = "WebHdfsPort",
    };

    // Aspire's: each takes a value and is handed to DistributedApplication.CreateBuilder as it is.
    private static readonly HashSet<string> AspireOptions = new(StringComparer.Ordinal)
    {
        "--publisher", "--output-path", "--operation", "--step", "--environment",
    };

    /// <summary>The arguments for Aspire's builder; <paramref name="help"/> when -h/--help was asked.</summary>
    /// <exception cref="ArgumentException">An unknown option or a missing value, with the option's name.</exception>
    public static string[] ToConfiguration(IReadOnlyList<string> args, out bool help)
    {
        help = false;
        var result = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }
            string Value() => inline ?? (i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{arg} needs a value"));
            if (arg is "-h" or "--help")
            {
                help = true;
            }
            else if (ValueOptions.TryGetValue(arg, out var key))
            {
                result.Add($"--{ClusterSettings.SectionName}:{key}={Value()}");
            }
            else if (arg == "--tls")
            {
                result.Add($"--{ClusterSettings.SectionName}:Tls={inline ?? "true"}");
            }
            else if (arg == "--set")
            {
                var setting = Value();
                var split = setting.IndexOf('=', StringComparison.Ordinal);
                if (split <= 0)
                {
                    throw new ArgumentException($"--set expects KEY=VALUE, not '{setting}'");
                }
                result.Add($"--{ClusterSettings.SectionName}:Set:{setting[..split].Replace("__", ":", StringComparison.Ordinal)}={setting[(split + 1)..]}");
            }
            else if (AspireOptions.Contains(arg) || arg.StartsWith("--PyHdfs:", StringComparison.Ordinal))
            {
                result.Add(inline is null ? arg : $"{arg}={inline}");
                if (inline is null && AspireOptions.Contains(arg))
                {
                    result.Add(Value());
                }
            }
            else
            {
                throw new ArgumentException($"unknown option '{args[i]}'");
            }
        }
        return [.. result];
    }
}
