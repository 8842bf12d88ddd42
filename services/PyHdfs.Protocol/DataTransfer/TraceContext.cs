using System.Diagnostics;

namespace PyHdfs.Protocol.DataTransfer;

/// <summary>W3C trace context across the block-transfer protocol (a non-HTTP boundary).</summary>
public static class TraceContext
{
    /// <summary>The traceparent of the current activity, or "" when there is none.</summary>
    public static (string TraceParent, string TraceState) FromCurrent()
    {
        var activity = Activity.Current;
        if (activity is null || activity.IdFormat != ActivityIdFormat.W3C)
        {
            return ("", "");
        }
        return (activity.Id ?? "", activity.TraceStateString ?? "");
    }

    public static ActivityContext Parse(string traceParent, string traceState) =>
        ActivityContext.TryParse(traceParent, string.IsNullOrEmpty(traceState) ? null : traceState, isRemote: true, out var context)
            ? context
            : default;
}
