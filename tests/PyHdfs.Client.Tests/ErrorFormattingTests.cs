using System.Net.Http;
using System.Net.Sockets;
using Grpc.Core;
using PyHdfs.Cli.Infrastructure;
using PyHdfs.Client.Internal;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;

namespace PyHdfs.Client.Tests;

public sealed class ErrorFormattingTests
{
    private static readonly Uri Address = new("http://127.0.0.1:9000");

    [Fact]
    public void Connection_refused_names_the_NameNode()
    {
        var refused = new RpcException(new Status(StatusCode.Unavailable, "Error connecting to subchannel.",
            new HttpRequestException("Connection refused (127.0.0.1:9000)", new SocketException((int)SocketError.ConnectionRefused))));

        Assert.True(ErrorTranslation.ShouldFailOver(refused));
        var error = ErrorTranslation.FromRpc(refused, "/x", Address, TimeSpan.FromSeconds(30));
        Assert.Equal("cannot reach the NameNode at http://127.0.0.1:9000: connection refused", error.Message);
        Assert.Equal("/x", error.Path);
    }

    [Fact]
    public void Typed_errors_keep_their_kind_and_name_the_path()
    {
        var exists = DfsErrors.Create(ErrorKind.AlreadyExists, "/data/x: already exists");

        Assert.False(ErrorTranslation.ShouldFailOver(exists));
        var error = ErrorTranslation.FromRpc(exists, "/data/x", Address, TimeSpan.FromSeconds(30));
        Assert.Equal(ErrorKind.AlreadyExists, error.Kind);
        Assert.Equal("/data/x: already exists", error.Message);
    }

    [Fact]
    public void Messages_without_the_path_get_it_in_front()
    {
        var error = ErrorTranslation.FromRpc(DfsErrors.Create(ErrorKind.FileNotFound, "no such file or directory"), "/a", Address, TimeSpan.FromSeconds(1));

        Assert.Equal("/a: no such file or directory", error.Message);
    }

    [Fact]
    public void Standby_fails_over() =>
        Assert.True(ErrorTranslation.ShouldFailOver(DfsErrors.Create(ErrorKind.StandbyNamenode, "standby")));

    [Fact]
    public void Put_of_an_existing_file_suggests_force()
    {
        var (line, code) = ErrorFormatter.Format("put", new DfsIOException(ErrorKind.AlreadyExists, "/data/x", "/data/x: already exists"));

        Assert.Equal("pyhdfs: put: /data/x: already exists (use -f to overwrite)", line);
        Assert.Equal(1, code);
    }

    [Fact]
    public void Usage_errors_exit_with_2()
    {
        Assert.Equal(2, ErrorFormatter.Format("put", CliException.Usage("bad")).ExitCode);
        Assert.Equal(2, ErrorFormatter.Format("ls", new DfsIOException(ErrorKind.InvalidPath, "x", "invalid path")).ExitCode);
    }

    [Fact]
    public void Multi_line_messages_become_one_line()
    {
        var (line, _) = ErrorFormatter.Format("get", new IOException("first\nsecond"));

        Assert.Equal("pyhdfs: get: first", line);
    }

    [Fact]
    public void NameNode_discovery_explains_the_three_ways()
    {
        var error = Assert.Throws<CliException>(() => NameNodeDiscovery.Resolve(null, _ => null, "/nonexistent/.pyhdfs/cluster.json"));

        Assert.Contains("--namenode", error.Message, StringComparison.Ordinal);
        Assert.Contains("PYHDFS_NAMENODE", error.Message, StringComparison.Ordinal);
        Assert.Contains("cluster.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NameNode_discovery_order()
    {
        using var directory = new Testing.TempDirectory();
        var file = Path.Combine(directory.Path, "cluster.json");
        File.WriteAllText(file, """{"namenodes":["http://127.0.0.1:7001","127.0.0.1:7002"],"other":1}""");
        var environment = new Dictionary<string, string> { ["PYHDFS_CLUSTER_FILE"] = file };

        Assert.Equal(9000, Assert.Single(NameNodeDiscovery.Resolve("127.0.0.1:9000", environment.GetValueOrDefault)).Port);
        Assert.Equal([7001, 7002], NameNodeDiscovery.Resolve(null, environment.GetValueOrDefault).Select(u => u.Port));
        environment["PYHDFS_NAMENODE"] = "127.0.0.1:8000";
        Assert.Equal(8000, Assert.Single(NameNodeDiscovery.Resolve(null, environment.GetValueOrDefault)).Port);
    }
}
