using System.Runtime.InteropServices;

namespace PyHdfs.AppHost.Hosting;

public sealed partial class DistributedApplication
{
    /// <summary>The command line's entry: start, announce, wait for Ctrl+C or SIGTERM, stop everything. Sets the exit code.</summary>
    public void Run() => Environment.ExitCode = RunAsync().GetAwaiter().GetResult();

    public async Task<int> RunAsync()
    {
        if (_builder.CommandLineMessage is not null)
        {
            (_builder.CommandLineOk ? Options.Output : Log).WriteLine(_builder.CommandLineMessage);
            return _builder.CommandLineOk ? 0 : 2;
        }
        if (_builder.PublishOutput is { } output)
        {
            foreach (var file in Publishing.Publisher.Write(_builder.Resources, output, Layout))
            {
                await Options.Output.WriteLineAsync($"wrote {file}").ConfigureAwait(false);
            }
            return 0;
        }
        using var shutdown = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            _shutdownRequested = true;
            shutdown.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        try
        {
            await StartAsync(shutdown.Token).ConfigureAwait(false);
            Announce();
            await Task.Delay(Timeout.Infinite, shutdown.Token).ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception e) when (e is ResourceStartException or InvalidOperationException)
        {
            await Log.WriteLineAsync($"[apphost] error: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        finally
        {
            Log.WriteLine("[apphost] stopping every process");
            await StopAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The NameNode's address, for the ready line, the cluster file and tests.</summary>
    public string NameNodeAddress =>
        Resources.FirstOrDefault(r => r.Resource is ProjectResource { Project: var p } && p == ServiceProject.NameNode)?.Address
        ?? throw new InvalidOperationException("no NameNode is running");

    private void Announce()
    {
        // Every NameNode (two with --namenodes 2): the CLI and clients try them in turn.
        var namenode = string.Join(",", NameNodeAddresses);
        if (Options.ClusterFilePath is not null)
        {
            ClusterDescription().Write(Options.ClusterFilePath);
        }
        var cli = Layout.AssemblyPath(ServiceProject.Cli);
        Options.Output.WriteLine($"PyHDFS ready: namenode={namenode}");
        Options.Output.WriteLine($"  dashboard: {Dashboard.Url}   (OTLP receiver {Dashboard.OtlpEndpoint})");
        Options.Output.WriteLine($"  the pyhdfs CLI finds this cluster through {Options.ClusterFilePath ?? Path.Combine(DataDirectory, "cluster.json")}:");
        Options.Output.WriteLine($"    alias pyhdfs='dotnet {cli}'");
        Options.Output.WriteLine("    pyhdfs put ./file /file ; pyhdfs ls / ; pyhdfs cat /file ; pyhdfs df -h");
        Options.Output.WriteLine("    pyhdfs put --trace ./file /file2 ; pyhdfs trace TRACE_ID");
        Options.Output.WriteLine($"  logs: {Path.Combine(DataDirectory, "logs")}   Ctrl+C stops every process");
        Options.Output.Flush();
    }
}
