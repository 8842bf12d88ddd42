namespace PyHdfs.DataNode.Control;

/// <summary>
/// Tracks whether a control-plane peer answers, logging only when that changes, and computes the
/// retry backoff (doubling from 500 ms up to DataNode:MaxRetryBackoffMs).
/// </summary>
internal sealed class PeerConnectionState(string peer, ILogger logger, int maxBackoffMs)
{
    private bool? _up;
    private int _failures;

    public void Up(string message)
    {
        _failures = 0;
        if (_up != true)
        {
            logger.LogInformation("{Peer}: {Message}", peer, message);
            _up = true;
        }
    }

    public TimeSpan Down(Exception error)
    {
        _failures++;
        if (_up != false)
        {
            logger.LogWarning("{Peer} unreachable, retrying in the background: {Reason}", peer, Describe(error));
            _up = false;
        }
        var ms = Math.Min(maxBackoffMs, 500L << Math.Min(_failures - 1, 10));
        return TimeSpan.FromMilliseconds(ms);
    }

    private static string Describe(Exception e) =>
        e is Grpc.Core.RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : e.Message;
}
