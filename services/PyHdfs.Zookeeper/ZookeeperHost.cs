using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace PyHdfs.Zookeeper;

/// <summary>Builds the registry process; Program.cs only runs it, so tests can host it in-process.</summary>
public static class ZookeeperHost
{
    public const string RedisConnectionName = "redis";

    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        // Content root = the binaries, not the working directory (the data directory): the default
        // appsettings reload watches the content root recursively, and every block or WAL write there
        // cost each service inotify work (measured: 7-9% of a DataNode's CPU during a put).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddServiceDefaults();
        builder.UseCleartextHttp2();

        builder.Services.AddOptions<RegistryOptions>()
            .Bind(builder.Configuration.GetSection(RegistryOptions.SectionName))
            .Validate(o => { o.Validate(); return true; })
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new RedisKeys(sp.GetRequiredService<IOptions<RegistryOptions>>().Value.KeyPrefix));
        builder.Services.AddSingleton<RedisConnectionFailures>();
        // Aspire's Redis client: the connection from ConnectionStrings__redis, tracing of every command, and
        // reconnection. Its health check is replaced by RedisHealthCheck, which tells an outage (degraded:
        // the registry is soft state, the file system carries on) from a wrong password (unhealthy).
        builder.AddRedisClient(RedisConnectionName, settings => settings.DisableHealthChecks = true, options =>
        {
            options.AbortOnConnectFail = false; // start even while Redis is down; /health reports it
            options.AllowAdmin = true;          // CONFIG SET notify-keyspace-events
        });
        builder.Services.AddSingleton(sp => new RedisReachability(sp.GetRequiredService<ILoggerFactory>().CreateLogger<RedisReachability>()));
        builder.Services.AddSingleton<IRegistryStore, RedisRegistryStore>();
        builder.Services.AddSingleton<DataNodeEventHub>();
        builder.Services.AddSingleton<RegistryEventPump>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RegistryEventPump>());

        builder.Services.AddGrpc(options =>
        {
            options.AddClusterMembership();
            options.Interceptors.Add<DfsExceptionInterceptor>();
            options.Interceptors.Add<RedisUnavailableInterceptor>();
        });
        builder.Services.AddMalformedRequestStatus();
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis");
        return builder;
    }

    public static WebApplication Build(string[] args)
    {
        var builder = CreateBuilder(args);
        // Fail at start, naming the key, rather than at the first call.
        RequireRedisConnectionString(builder.Configuration);
        var app = builder.Build();
        app.Services.GetRequiredService<RedisReachability>().Watch(app.Services.GetRequiredService<IConnectionMultiplexer>());
        app.MapGrpcService<RegistryService>();
        app.MapDefaultEndpoints();
        var hub = app.Services.GetRequiredService<DataNodeEventHub>();
        app.Lifetime.ApplicationStopping.Register(hub.CompleteAll);
        return app;
    }

    internal static string RequireRedisConnectionString(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(RedisConnectionName);
        return string.IsNullOrWhiteSpace(connectionString)
            ? throw new InvalidOperationException(
                "the registry needs Redis: set ConnectionStrings__redis (a StackExchange.Redis connection string, e.g. 127.0.0.1:6379)")
            : connectionString;
    }
}
