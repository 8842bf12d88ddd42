using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PyHdfs.Testing;

/// <summary>
/// Keeps an Aspire-run cluster's chatter out of test and benchmark output: the services' console lines stay
/// in <see cref="ResourceLogs"/> (and in failure messages), Aspire and ASP.NET say only warnings.
/// </summary>
public static class AspireTestLogging
{
    public static IDistributedApplicationTestingBuilder Quiet(this IDistributedApplicationTestingBuilder builder)
    {
        builder.Services.AddLogging(logging => logging
            .AddFilter("PyHdfs.AppHost.Resources", LogLevel.None)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            .AddFilter("Aspire.Hosting", LogLevel.Warning)
            .AddFilter("Microsoft", LogLevel.Warning));
        return builder;
    }
}
