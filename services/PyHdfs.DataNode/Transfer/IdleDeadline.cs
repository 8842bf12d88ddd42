namespace PyHdfs.DataNode.Transfer;

/// <summary>
/// A cancellation token that fires when one network operation takes longer than the idle timeout.
/// Arm it before each read or write; a stalled peer then cannot hold a connection forever.
/// </summary>
internal sealed class IdleDeadline(TimeSpan timeout, CancellationToken outer) : IDisposable
{
    private readonly CancellationTokenSource _source = CancellationTokenSource.CreateLinkedTokenSource(outer);

    public TimeSpan Timeout { get; } = timeout;

    public CancellationToken Arm()
    {
        _source.CancelAfter(Timeout);
        return _source.Token;
    }

    public CancellationToken Token => _source.Token;

    /// <summary>True when the token fired because of the timeout rather than shutdown.</summary>
    public bool Expired => _source.IsCancellationRequested && !outer.IsCancellationRequested;

    public void Cancel() => _source.Cancel();

    public void Dispose() => _source.Dispose();
}
