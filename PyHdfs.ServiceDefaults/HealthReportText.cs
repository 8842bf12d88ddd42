using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// /health's body: "healthy", or the status and why, e.g. "degraded: registry unreachable since
/// 2026-12-03T19:40:01Z (…)". A degraded service still answers 200: it serves, with less.
/// </summary>
public static class HealthReportText
{
    public static string Format(HealthReport report)
    {
        var status = report.Status.ToString().ToLowerInvariant();
        var reasons = report.Entries.Values
            .Where(e => e.Status != HealthStatus.Healthy)
            .Select(e => e.Description ?? e.Exception?.Message ?? "")
            .Where(d => d.Length > 0)
            .ToList();
        return reasons.Count == 0 ? status : $"{status}: {string.Join("; ", reasons)}";
    }

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(Format(report));
    }
}
