using PyHdfs.Client;

namespace PyHdfs.IntegrationTests.PowerCut;

/// <summary>
/// Writers putting files of seeded random sizes (empty, under a block, several blocks) into their own
/// directories, each with its own client, until the power goes. Every put is recorded in a <see cref="PutLedger"/>.
/// </summary>
internal sealed class PutWorkload : IAsyncDisposable
{
    private const int Writers = 3;
    private const int MaxFileBytes = (int)(5 * PyHdfsCluster.BlockSizeBytes / 2);

    private readonly CancellationTokenSource _stop = new();
    private readonly List<DfsClient> _clients = [];
    private readonly List<Task> _writers = [];
    private readonly List<string> _unexpected = [];

    public PutWorkload(PyHdfsCluster cluster, string root, int seed, PutLedger ledger)
    {
        for (var w = 0; w < Writers; w++)
        {
            var client = cluster.CreateClient();
            _clients.Add(client);
            var directory = $"{root}/seed{seed}-w{w}";
            var random = new Random(seed * 1000 + w);
            _writers.Add(Task.Run(() => WriteUntilStoppedAsync(client, directory, random, ledger)));
        }
    }

    /// <summary>Failures that happened before the power cut (none are expected).</summary>
    public IReadOnlyList<string> Unexpected
    {
        get
        {
            lock (_unexpected)
            {
                return [.. _unexpected];
            }
        }
    }

    private async Task WriteUntilStoppedAsync(DfsClient client, string directory, Random random, PutLedger ledger)
    {
        try
        {
            await client.MkdirsAsync(directory, createParent: true, _stop.Token);
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            return;
        }
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            var path = $"{directory}/f{i}";
            var data = new byte[random.Next(8) == 0 ? 0 : random.Next(1, MaxFileBytes)];
            random.NextBytes(data);
            ledger.Started(path, data);
            try
            {
                var output = await client.CreateAsync(path, new DfsCreateOptions(), _stop.Token);
                await using (output)
                {
                    for (var offset = 0; offset < data.Length; offset += 64 * 1024)
                    {
                        await output.WriteAsync(data.AsMemory(offset, Math.Min(64 * 1024, data.Length - offset)), _stop.Token);
                    }
                    await output.CloseAsync(_stop.Token);
                }
                ledger.Succeeded(path);
            }
            catch (Exception e)
            {
                if (!_stop.IsCancellationRequested)
                {
                    lock (_unexpected)
                    {
                        _unexpected.Add($"{path}: {e.GetType().Name}: {e.Message}");
                    }
                }
                return;
            }
        }
    }

    /// <summary>The moment of the cut: from now on nothing a writer does counts as acknowledged.</summary>
    public Task CutAsync() => _stop.CancelAsync();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        // The clients' calls were cut off with their servers; a writer blocked in one ends with its client.
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
        await Task.WhenAll(_writers).WaitAsync(TimeSpan.FromSeconds(60));
        _stop.Dispose();
    }
}
