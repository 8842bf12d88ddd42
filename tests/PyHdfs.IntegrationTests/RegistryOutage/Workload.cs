using PyHdfs.Client;
using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests.RegistryOutage;

/// <summary>
/// What a user keeps doing while the registry is down: mkdir, put, get (checked byte for byte) and
/// ls, one after the other, in the background. Every failure is kept, with when it happened.
/// </summary>
internal sealed class Workload : IAsyncDisposable
{
    private readonly DfsClient _client;
    private readonly string _root;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _failures = [];
    private readonly Task _loop;
    private int _rounds;

    private Workload(DfsClient client, string root)
    {
        _client = client;
        _root = root;
        _loop = Task.Run(RunAsync);
    }

    public static Workload Start(DfsClient client) => new(client, UniquePath("registry-outage"));

    /// <summary>Rounds (mkdir + put + get + ls) that succeeded so far.</summary>
    public int Rounds => Volatile.Read(ref _rounds);

    public IReadOnlyList<string> Failures
    {
        get
        {
            lock (_failures)
            {
                return [.. _failures];
            }
        }
    }

    /// <summary>Waits for <paramref name="more"/> rounds beyond the current count (at most a minute).</summary>
    public Task AdvanceAsync(int more, string when)
    {
        var target = Rounds + more;
        return PyHdfs.Testing.Eventually.WaitUntilAsync(() => Rounds >= target || Failures.Count > 0, TimeSpan.FromSeconds(60), $"{more} workload rounds {when}");
    }

    private async Task RunAsync()
    {
        await _client.MkdirsAsync(_root, true, _stop.Token);
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            try
            {
                var directory = $"{_root}/d{i}";
                var file = $"{directory}/f";
                var data = Random(32 * 1024 + i, seed: i);
                await _client.MkdirsAsync(directory, true, _stop.Token);
                var output = await _client.CreateAsync(file, new DfsCreateOptions(), _stop.Token);
                await using (output)
                {
                    await output.WriteAsync(data, _stop.Token);
                    await output.CloseAsync(_stop.Token);
                }
                await using (var input = await _client.OpenAsync(file, _stop.Token))
                {
                    using var copy = new MemoryStream();
                    await input.CopyToAsync(copy, _stop.Token);
                    if (!copy.ToArray().AsSpan().SequenceEqual(data))
                    {
                        throw new InvalidDataException($"{file} read back {copy.Length} bytes that differ from the {data.Length} written");
                    }
                }
                var listed = 0;
                await foreach (var _ in _client.ListAsync(_root, _stop.Token))
                {
                    listed++;
                }
                if (listed != i + 1)
                {
                    throw new InvalidDataException($"ls {_root} listed {listed} entries, expected {i + 1}");
                }
                Interlocked.Increment(ref _rounds);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                lock (_failures)
                {
                    _failures.Add($"{DateTime.UtcNow:HH:mm:ss.fff} round {i}: {e.GetType().Name}: {e.Message}");
                }
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
