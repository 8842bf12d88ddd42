using Microsoft.AspNetCore.Builder;
using PyHdfs.NameNode.HadoopRpc;
using PyHdfs.ServiceDefaults.WebHdfs;

namespace PyHdfs.NameNode.Tests;

/// <summary>The ports a NameNode started on its own adds beside --urls: WebHDFS 9870 and Hadoop RPC 8020 unless told otherwise.</summary>
public sealed class StandaloneListenersTests
{
    private static WebApplicationBuilder Configure(params string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        WebHdfsListener.AddStandaloneListeners(builder, WebHdfsListener.Standalone(9870), HadoopRpcListener.Standalone);
        return builder;
    }

    [Fact]
    public void By_default_the_hadoop_port_is_8020_and_webhdfs_9870_on_the_host_of_the_first_url()
    {
        var configuration = Configure("--urls=http://127.0.0.1:5070").Configuration;

        Assert.Equal("http://127.0.0.1:8020", configuration["Kestrel:Endpoints:hdfs:Url"]);
        Assert.Equal("http://127.0.0.1:9870", configuration["Kestrel:Endpoints:webhdfs:Url"]);
        Assert.Equal("http://127.0.0.1:5070", configuration["Kestrel:Endpoints:urls0:Url"]);
    }

    [Fact]
    public void Port_and_bind_address_are_configurable_and_minus_one_turns_a_listener_off()
    {
        var configuration = Configure("--urls=http://127.0.0.1:0", "--HadoopRpc:Port=9000", "--HadoopRpc:BindAddress=0.0.0.0", "--WebHdfs:Port=-1").Configuration;

        Assert.Equal("http://0.0.0.0:9000", configuration["Kestrel:Endpoints:hdfs:Url"]);
        Assert.Null(configuration["Kestrel:Endpoints:webhdfs:Url"]);
    }

    [Fact]
    public void Named_endpoints_from_the_apphost_are_left_alone()
    {
        var configuration = Configure("--Kestrel:Endpoints:grpc:Url=http://127.0.0.1:0").Configuration;

        Assert.Null(configuration["Kestrel:Endpoints:hdfs:Url"]);
        Assert.Null(configuration["Kestrel:Endpoints:urls0:Url"]);
    }
}
