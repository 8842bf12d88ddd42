using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PyHdfs.Client;
using PyHdfs.DataNode.Storage;

namespace PyHdfs.DataNode.WebHdfs;

/// <summary>
/// The DataNode's WebHDFS side is a client of the file system like any other: one <see cref="DfsClient"/> per user a
/// redirect names, talking to the NameNodes this DataNode serves, as that user. Its writes take the normal replicated
/// pipeline (this DataNode is usually the first of it) and its reads verify every checksum.
/// </summary>
internal sealed class WebHdfsUserClients(ServiceEndpoints endpoints, IConfiguration configuration, IOptions<DataNodeWebHdfsOptions> options,
    DataNodeIdentity identity) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<DfsClient>> _clients = new(StringComparer.Ordinal);

    public DfsClient For(string user)
    {
        if (_clients.Count >= options.Value.MaxUserClients && !_clients.ContainsKey(user))
        {
            // Bounded: past the limit half of the clients are dropped (they are re-created on their next request).
            foreach (var name in _clients.Keys.Take(_clients.Count / 2).ToList())
            {
                if (_clients.TryRemove(name, out var removed) && removed.IsValueCreated)
                {
                    _ = removed.Value.DisposeAsync().AsTask();
                }
            }
        }
        return _clients.GetOrAdd(user, u => new Lazy<DfsClient>(() => Create(u))).Value;
    }

    private DfsClient Create(string user)
    {
        var nameNodes = endpoints.Resolve("namenode");
        if (nameNodes.Count == 0)
        {
            throw new InvalidOperationException("no NameNode configured (services__namenode__grpc__0): WebHDFS needs one");
        }
        var tls = bool.TryParse(configuration[TransportSecurity.EnabledKey], out var enabled) && enabled;
        return new DfsClient(new DfsClientOptions
        {
            NameNodes = nameNodes,
            User = user,
            ClientName = $"webhdfs-{identity.Id}-{user}-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 4))}",
            TlsCaPath = tls ? configuration[TransportSecurity.CaPathKey] : null,
        });
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated))
        {
            await client.Value.DisposeAsync().ConfigureAwait(false);
        }
        _clients.Clear();
    }
}
