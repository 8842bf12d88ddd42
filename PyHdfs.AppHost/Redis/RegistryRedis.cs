using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PyHdfs.AppHost.Redis;

/// <summary>
/// The registry's Redis, chosen in this one place:
/// <list type="bullet">
/// <item>publish mode: Aspire.Hosting.Redis's <c>AddRedis</c> (a container with a data volume, append-only
/// persistence and a generated password parameter), so the manifests carry a real Redis;</item>
/// <item>run mode: Debian's <c>redis-server</c> as an executable resource, because stock <c>AddRedis</c> runs a
/// container and this machine kind has no container engine (DCP reports "Runtime unhealthy" and everything
/// that waits for Redis waits forever). Same connection-string shape, a password per run, its append-only
/// file in DATA/redis so the registry's epochs survive a restart.</item>
/// </list>
/// </summary>
public static class RegistryRedis
{
    public static IResourceBuilder<IResourceWithConnectionString> AddRegistryRedis(
        this IDistributedApplicationBuilder builder, string name, string dataDirectory)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            // A volume name of our own: Aspire's default embeds a hash of the AppHost's path, different in every checkout.
            return builder.AddRedis(name).WithDataVolume($"pyhdfs-{name}-data").WithPersistence();
        }

        var redisDirectory = Path.Combine(dataDirectory, name);
        Directory.CreateDirectory(redisDirectory);
        // A fresh password each run, never on a command line (ps would show it): redis-server reads it from a 0600 file.
        var passwordValue = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var password = builder.AddParameter($"{name}-password", passwordValue, secret: true);
        var configFile = RedisConfigFile.Write(redisDirectory, passwordValue);
        var resource = new RedisServerResource(name, RedisInstaller.LocateOrInstall(), redisDirectory, password.Resource);

        var healthCheckKey = $"{name}-ping";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(healthCheckKey,
            _ => new RedisPingHealthCheck(resource, passwordValue), failureStatus: null, tags: null));

        return builder.AddResource(resource)
            .WithEndpoint(RedisServerResource.EndpointName, e =>
            {
                e.UriScheme = "tcp";
                e.TargetHost = "127.0.0.1";
                // redis-server binds the port it is given: nothing to gain from DCP's proxy in between.
                e.IsProxied = false;
            })
            .WithArgs(context =>
            {
                context.Args.Add(configFile);
                context.Args.Add("--port");
                context.Args.Add(resource.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
                foreach (var arg in FixedArguments(redisDirectory))
                {
                    context.Args.Add(arg);
                }
            })
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>Loopback only, an append-only file, no RDB snapshots (which only slow its shutdown).</summary>
    internal static IEnumerable<string> FixedArguments(string redisDirectory) =>
    [
        "--bind", "127.0.0.1",
        "--dir", redisDirectory,
        "--appendonly", "yes",
        "--save", "",
        "--daemonize", "no",
        "--protected-mode", "yes",
    ];
}
