using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PyHdfs.AppHost;

/// <summary>
/// Once every resource that starts with the cluster is healthy: writes the cluster file the pyhdfs CLI
/// reads (DATA/cluster.json, and ~/.pyhdfs/cluster.json unless configured away) and prints the ready
/// line scripts wait for, <c>PyHDFS ready: namenode=…</c>. Both files are removed at shutdown if they
/// still describe this AppHost. The file carries this run's dashboard keys (<see cref="DashboardApiKeys"/>).
/// </summary>
public static class ClusterFileWriter
{
    public static void AddClusterFile(this IDistributedApplicationBuilder builder, ClusterSettings settings, ClusterSecrets secrets,
        IReadOnlyList<IResourceBuilder<ProjectResource>> namenodes, IResourceBuilder<ProjectResource> client)
    {
        var addresses = new ReferenceExpressionBuilder();
        for (var i = 0; i < namenodes.Count; i++)
        {
            if (i > 0)
            {
                addresses.AppendLiteral(",");
            }
            addresses.AppendFormatted(namenodes[i].GetEndpoint(PyHdfsServices.GrpcEndpoint));
        }
        client.WithEnvironment("PYHDFS_NAMENODE", addresses.Build());
        if (secrets.Tls is { } tls)
        {
            client.WithEnvironment("PYHDFS_TLS_CA", tls.CaPath);
        }
        if (builder.ExecutionContext.IsRunMode)
        {
            var keys = DashboardApiKeys.ForThisRun(builder);
            builder.Services.AddHostedService(sp => new Announcer(sp, settings, secrets, keys, [.. namenodes.Select(n => n.Resource)]));
        }
    }

    private sealed class Announcer(IServiceProvider services, ClusterSettings settings, ClusterSecrets secrets, DashboardApiKeys keys,
        IReadOnlyList<ProjectResource> namenodes) : BackgroundService
    {
        private string ClusterJson => Path.Combine(settings.DataDirectory, "cluster.json");

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var notifications = services.GetRequiredService<ResourceNotificationService>();
            var model = services.GetRequiredService<DistributedApplicationModel>();
            var startsWithCluster = model.Resources
                .Where(r => r is ProjectResource or ExecutableResource && !r.Annotations.OfType<ExplicitStartupAnnotation>().Any())
                .ToList();
            try
            {
                await Task.WhenAll(startsWithCluster.Select(r => notifications.WaitForResourceHealthyAsync(r.Name, stoppingToken))).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var configuration = services.GetRequiredService<IConfiguration>();
            var dashboard = configuration["ASPNETCORE_URLS"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            var otlp = configuration["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"];
            var addresses = namenodes.Select(n => n.GetEndpoint(PyHdfsServices.GrpcEndpoint).Url).ToList();
            var webHdfs = namenodes.Select(n => n.GetEndpoint(PyHdfsServices.WebHdfsEndpoint).Url).ToList();
            var hadoopRpc = namenodes.Select(n => n.GetEndpoint(PyHdfsServices.HadoopRpcEndpoint)).Select(e => $"{e.Host}:{e.Port}").ToList();
            var file = new ClusterFile(addresses, settings.DataDirectory, Environment.ProcessId, dashboard, otlp, secrets.Tls?.CaPath,
                keys.TelemetryApiKey, keys.OtlpApiKey, webHdfs, hadoopRpc);
            file.Write(ClusterJson);
            if (settings.ClusterFilePath is { } userFile)
            {
                file.Write(userFile);
            }
            var output = Console.Out;
            await output.WriteLineAsync($"PyHDFS ready: namenode={string.Join(",", addresses)}").ConfigureAwait(false);
            await output.WriteLineAsync($"  dashboard: {dashboard}   (the login URL is printed above)").ConfigureAwait(false);
            await output.WriteLineAsync($"  webhdfs: {string.Join(",", webHdfs)}   (curl -L \"{webHdfs[0]}/webhdfs/v1/?op=LISTSTATUS\")").ConfigureAwait(false);
            await output.WriteLineAsync($"  hdfs: {string.Join(",", hadoopRpc)}   (HADOOP_NAMENODE={string.Join(",", hadoopRpc)} hdfs ls /)").ConfigureAwait(false);
            await output.WriteLineAsync($"  the pyhdfs CLI finds this cluster through {settings.ClusterFilePath ?? ClusterJson}:").ConfigureAwait(false);
            await output.WriteLineAsync($"    alias pyhdfs='dotnet {CliAssembly()}'").ConfigureAwait(false);
            await output.WriteLineAsync("    pyhdfs put ./file /file ; pyhdfs ls / ; pyhdfs cat /file ; pyhdfs df -h").ConfigureAwait(false);
            await output.WriteLineAsync("    pyhdfs put --trace ./file /file2 ; pyhdfs trace TRACE_ID").ConfigureAwait(false);
            await output.WriteLineAsync("  Ctrl+C stops every process").ConfigureAwait(false);
            await output.FlushAsync(stoppingToken).ConfigureAwait(false);
        }

        public override async Task StopAsync(CancellationToken cancellationToken)
        {
            await base.StopAsync(cancellationToken).ConfigureAwait(false);
            ClusterFile.DeleteIfOwned(ClusterJson, Environment.ProcessId);
            if (settings.ClusterFilePath is { } userFile)
            {
                ClusterFile.DeleteIfOwned(userFile, Environment.ProcessId);
            }
        }

        /// <summary>The CLI built in the AppHost's own configuration (bin/CONFIG/net10.0 beside its project).</summary>
        private static string CliAssembly()
        {
            var project = Path.GetDirectoryName(new Projects.PyHdfs_Cli().ProjectPath)!;
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return Path.Combine(project, "bin", output.Parent?.Name ?? "Debug", output.Name, "pyhdfs.dll");
        }
    }
}
