using System.Globalization;
using Microsoft.Extensions.Logging;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;

namespace PyHdfs.NameNode.Startup;

/// <summary>
/// Safe mode: after loading (a restart, a failover) the NameNode answers reads but refuses
/// writes until the fraction of complete blocks with at least one reported replica reaches
/// NameNode:SafeModeThreshold, then (after NameNode:SafeModeExtensionMs) leaves on its own. An
/// empty namespace leaves at once. Thread-safe.
/// </summary>
internal sealed class SafeMode(Func<(long Total, long Reported)> countBlocks, NameNodeOptions options, TimeProvider time, ILogger logger)
{
    private readonly Lock _lock = new();
    private bool _on = true;
    private bool _manual;
    private long? _thresholdReachedAtMs;

    /// <summary>True when <paramref name="reported"/> of <paramref name="total"/> blocks satisfy the threshold (0..1).</summary>
    public static bool ThresholdReached(long reported, long total, double threshold) =>
        total == 0 || reported >= Math.Ceiling(total * threshold - 1e-9);

    public static string Describe(long reported, long total, double threshold) =>
        string.Create(CultureInfo.InvariantCulture, $"{reported} of {total} blocks reported (threshold {threshold * 100:0.###}%)");

    /// <summary>Whether writes are refused now; re-evaluates the block counts first.</summary>
    public bool IsOn
    {
        get
        {
            lock (_lock)
            {
                if (_on && !_manual)
                {
                    Evaluate();
                }
                return _on;
            }
        }
    }

    /// <summary>The one-line state ("12 of 40 blocks reported (threshold 99.9%)"), or "" when off.</summary>
    public string Reason
    {
        get
        {
            lock (_lock)
            {
                if (!_on)
                {
                    return "";
                }
                if (_manual)
                {
                    return "entered by an administrator (pyhdfs admin safemode leave)";
                }
                var (total, reported) = countBlocks();
                return Describe(reported, total, options.SafeModeThreshold);
            }
        }
    }

    /// <summary>On becoming active: writes wait for the block reports again.</summary>
    public void Enter(bool manual = false)
    {
        lock (_lock)
        {
            _on = true;
            _manual = manual;
            _thresholdReachedAtMs = null;
        }
    }

    public void Leave()
    {
        lock (_lock)
        {
            _on = false;
            _manual = false;
        }
    }

    public void EnsureWritable(string? path)
    {
        if (!IsOn)
        {
            return;
        }
        bool manual;
        lock (_lock)
        {
            manual = _manual;
        }
        var reason = Reason;
        if (reason.Length == 0)
        {
            return;
        }
        // Start-up safe mode ends with the block reports, so a client waits it out; an administrator's lasts until they leave it.
        throw new DfsException(ErrorKind.SafeMode,
            (path is null ? "" : path + ": ") + $"NameNode is in safe mode: {reason}; writes are refused until it leaves", retriable: !manual);
    }

    private void Evaluate()
    {
        var (total, reported) = countBlocks();
        if (!ThresholdReached(reported, total, options.SafeModeThreshold))
        {
            _thresholdReachedAtMs = null;
            return;
        }
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        _thresholdReachedAtMs ??= now;
        if (total == 0 || now - _thresholdReachedAtMs.Value >= options.SafeModeExtensionMs)
        {
            _on = false;
            logger.LogInformation("Safe mode is OFF: {State}", Describe(reported, total, options.SafeModeThreshold));
        }
    }
}
