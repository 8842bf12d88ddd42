using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using PyHdfs.Client;
using PyHdfs.Protocol;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Testing;

namespace PyHdfs.IntegrationTests.HighAvailability;

/// <summary>
/// The standard cluster with two NameNodes (--namenodes 2: namenode-1 and namenode-2), an active
/// and a standby, with the DEFAULT leadership lease, so measured failover times are the real ones.
/// </summary>
public sealed class HaCluster : PyHdfsCluster
{
    public static readonly IReadOnlyList<string> NameNodes = ["namenode-1", "namenode-2"];

    protected override void Configure(ClusterOptions options)
    {
        options.NameNodes = 2;
        options.ServiceSettings.Remove("NameNode__LeaderLeaseMs");
    }

    public string AddressOf(string namenode) => Endpoint(namenode, "grpc").ToString().TrimEnd('/');

    /// <summary>GetHaStatus of one NameNode, or null when it does not answer.</summary>
    public async Task<HaStatus?> StatusOfAsync(string namenode)
    {
        try
        {
            using var channel = GrpcChannel.ForAddress(AddressOf(namenode));
            return await new ClientProtocol.ClientProtocolClient(channel)
                .GetHaStatusAsync(new GetHaStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
        }
        catch (RpcException)
        {
            return null;
        }
    }

    /// <summary>Waits until exactly one NameNode is active (and out of safe mode) and the other is standby; returns (active, standby).</summary>
    public Task<(string Active, string Standby, HaStatus ActiveStatus)> WaitForActiveAndStandbyAsync(TimeSpan timeout) =>
        Eventually.WaitForAsync<(string, string, HaStatus)?>(async () =>
        {
            var first = await StatusOfAsync(NameNodes[0]);
            var second = await StatusOfAsync(NameNodes[1]);
            return (first?.State, second?.State) switch
            {
                ("active", "standby") when !first!.SafeMode => (NameNodes[0], NameNodes[1], first),
                ("standby", "active") when !second!.SafeMode => (NameNodes[1], NameNodes[0], second),
                _ => null,
            };
        }, timeout, "one active NameNode (out of safe mode) and one standby", TimeSpan.FromMilliseconds(100))
        .ContinueWith(t => t.Result!.Value, TaskScheduler.Default);

    /// <summary>A client of one NameNode only, failing at once (to see exactly what that NameNode answers).</summary>
    public DfsClient ClientOf(string namenode) =>
        new(new DfsClientOptions { NameNodes = [new Uri(AddressOf(namenode))], FailoverTimeout = TimeSpan.Zero, RpcTimeout = TimeSpan.FromSeconds(10) });

    public ClientProtocol.ClientProtocolClient RawClientOf(string namenode, out GrpcChannel channel)
    {
        channel = GrpcChannel.ForAddress(AddressOf(namenode));
        // Act as the OS user (the cluster's superuser), as a DfsClient does; without the header a call is "nobody".
        return new ClientProtocol.ClientProtocolClient(channel.Intercept(headers =>
        {
            headers.Add(RequestHeaders.User, Environment.UserName);
            return headers;
        }));
    }

    /// <summary>SIGSTOP: the process hangs, as a machine that stops answering would.</summary>
    public void Pause(string resource) => ResourceProcesses.Signal(App, resource, ProcessTree.SigStop);

    public void Resume(string resource) => ResourceProcesses.Signal(App, resource, ProcessTree.SigCont);
}
