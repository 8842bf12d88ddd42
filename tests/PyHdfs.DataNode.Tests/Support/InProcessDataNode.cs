using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using PyHdfs.DataNode.Transfer;
using PyHdfs.Protocol;
using PyHdfs.Testing;

namespace PyHdfs.DataNode.Tests.Support;

/// <summary>A real DataNode host in this process: temp data dir, ephemeral ports, control plane as configured.</summary>
public sealed class InProcessDataNode : IAsyncDisposable
{
    private readonly TempDirectory? _ownedDirectory;

    private InProcessDataNode(WebApplication app, string id, string dataDir, TempDirectory? ownedDirectory)
    {
        App = app;
        Id = id;
        DataDir = dataDir;
        _ownedDirectory = ownedDirectory;
        Port = app.Services.GetRequiredService<TransferServer>().Port;
    }

    public WebApplication App { get; }
    public string Id { get; }
    public string DataDir { get; }
    public int Port { get; }
    public DataNodeAddress Address => new() { Id = Id, Host = "127.0.0.1", DataPort = Port };
    public string HttpAddress => App.Urls.First();

    /// <summary>Starts a DataNode; <paramref name="dataDir"/> null: a fresh temp directory owned (and deleted) by this instance.</summary>
    public static async Task<InProcessDataNode> StartAsync(string? id = null, string? dataDir = null, IDictionary<string, string>? settings = null)
    {
        TempDirectory? owned = null;
        if (dataDir is null)
        {
            owned = new TempDirectory("pyhdfs-dn");
            dataDir = owned.Path;
        }
        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            "--WebHdfs:Port=0",
            $"--DataNode:DataDir={dataDir}",
            "--DataNode:DataPort=0",
            "--DataNode:HeartbeatIntervalMs=200",
            "--DataNode:SyncOnBlockClose=false",
            "--DataNode:MaxRetryBackoffMs=500",
            "--Logging:LogLevel:Default=Warning",
        };
        if (id is not null)
        {
            args.Add($"--DataNode:Id={id}");
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            args.Add($"--{key}={value}");
        }
        var app = DataNodeHost.Build([.. args]);
        await app.StartAsync();
        var identity = app.Services.GetRequiredService<Storage.DataNodeIdentity>().Id;
        return new InProcessDataNode(app, identity, dataDir, owned);
    }

    public static async Task<InProcessDataNode[]> StartManyAsync(int count) =>
        await Task.WhenAll(Enumerable.Range(1, count).Select(i => StartAsync("dn-" + i.ToString(CultureInfo.InvariantCulture))));

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        _ownedDirectory?.Dispose();
    }
}
