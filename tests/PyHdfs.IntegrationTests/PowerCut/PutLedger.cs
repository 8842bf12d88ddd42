using System.Collections.Concurrent;

namespace PyHdfs.IntegrationTests.PowerCut;

/// <summary>
/// What writers promised and what they only attempted: a put goes into <see cref="InFlight"/> before its first
/// byte and moves to <see cref="Acknowledged"/> once its close returned success; one cut off by the power
/// cut stays in flight, and its outcome is what a test checks.
/// </summary>
internal sealed class PutLedger
{
    private readonly ConcurrentDictionary<string, byte[]> _acknowledged = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> _inFlight = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, byte[]> Acknowledged => _acknowledged;

    public IReadOnlyDictionary<string, byte[]> InFlight => _inFlight;

    public void Started(string path, byte[] data) => _inFlight[path] = data;

    public void Succeeded(string path)
    {
        if (_inFlight.TryRemove(path, out var data))
        {
            _acknowledged[path] = data;
        }
    }
}
