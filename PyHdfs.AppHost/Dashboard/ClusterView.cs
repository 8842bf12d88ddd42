using PyHdfs.AppHost.Hosting;
using PyHdfs.Client;

namespace PyHdfs.AppHost.Dashboard;

/// <summary>The dashboard's cluster view: what the NameNode reports, asked through the client library.</summary>
internal sealed class ClusterView(DistributedApplication app) : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DfsClient? _client;
    private string? _clientAddress;

    public async Task<object> ReadAsync(CancellationToken cancellationToken)
    {
        string address;
        try
        {
            address = app.NameNodeAddress;
        }
        catch (InvalidOperationException e)
        {
            return new { available = false, error = e.Message };
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_client is null || _clientAddress != address)
            {
                if (_client is not null)
                {
                    await _client.DisposeAsync().ConfigureAwait(false);
                }
                _client = new DfsClient(new DfsClientOptions { NameNodes = [new Uri(address)], TlsCaPath = app.Tls?.CaPath });
                _clientAddress = address;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            var stats = await _client.GetFsStatsAsync(timeout.Token).ConfigureAwait(false);
            var nodes = await _client.GetDataNodeReportAsync(timeout.Token).ConfigureAwait(false);
            return new
            {
                available = true,
                namenode = address,
                stats,
                datanodes = nodes.Select(n => new
                {
                    id = n.Node.Id,
                    address = $"{n.Node.Host}:{n.Node.DataPort}",
                    live = n.Live,
                    n.CapacityBytes,
                    n.UsedBytes,
                    n.RemainingBytes,
                    n.BlockCount,
                    n.LastHeartbeat,
                }),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new { available = false, namenode = address, error = $"the NameNode at {address} did not answer: {e.Message}" };
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync().ConfigureAwait(false);
        }
        _gate.Dispose();
    }
}
