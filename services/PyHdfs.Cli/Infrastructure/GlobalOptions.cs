using System.CommandLine;
using PyHdfs.Client;

namespace PyHdfs.Cli.Infrastructure;

/// <summary>Options every command accepts, and the client they configure.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> NameNode = new("--namenode")
    {
        Description = "NameNode address(es), host:port or http://host:port, comma-separated (default: $PYHDFS_NAMENODE, then the cluster file)",
        HelpName = "ADDR",
        Recursive = true,
    };

    public static DfsClient CreateClient(ParseResult parse)
    {
        var cluster = NameNodeDiscovery.ResolveCluster(parse.GetValue(NameNode), Environment.GetEnvironmentVariable);
        return new DfsClient(new DfsClientOptions { NameNodes = cluster.NameNodes, TlsCaPath = cluster.TlsCaPath });
    }
}
