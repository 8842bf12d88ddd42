using System.Diagnostics;
using System.Globalization;
using PyHdfs.Testing;
using PyHdfs.Benchmarks;

if (args is [TcpSink.Mode, ..])
{
    return TcpSink.Run();
}

if (args is [ChunkCost.Mode, ..])
{
    return ChunkCost.Run();
}

var settings = BenchSettings.Parse(args, out var error);
if (settings is null)
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(BenchSettings.Usage);
    return 2;
}

var total = Stopwatch.StartNew();
var results = new Results();
LoadAverage.Record(results, "start");
RunInfo? info = null;
var exitCode = 0;
await using (var cluster = new BenchCluster())
{
    try
    {
        Console.Error.WriteLine("starting a 3-DataNode cluster");
        await cluster.StartAsync();
        var diskDirectory = cluster.DataNodeDirectory("datanode-1");
        info = RunInfo.Collect(settings.Quick ? "quick" : "full", diskDirectory, RepositoryLayout.Current.Root);
        await MachineBaseline.RunAsync(results, diskDirectory, settings.StreamSizes.Max());
        if (settings.Runs("streaming"))
        {
            await new Streaming(cluster, results).RunAsync(settings.StreamSizes);
        }
        if (settings.Runs("small"))
        {
            await SmallFiles.RunAsync(cluster, results, settings.SmallFiles);
        }
        if (settings.Runs("metadata"))
        {
            await new MetadataRate(cluster, results).RunAsync(settings.MetadataOpsPerLevel);
        }
        if (settings.Runs("namespace"))
        {
            await new NamespaceScale(cluster, results).RunAsync(settings.NamespaceFiles);
        }
    }
    catch (Exception e)
    {
        Console.Error.WriteLine($"benchmark failed: {e}");
        exitCode = 1;
    }
}

info ??= RunInfo.Collect(settings.Quick ? "quick" : "full", Path.GetTempPath(), RepositoryLayout.Current.Root);
LoadAverage.Record(results, "end");
results.Add("total_time", total.Elapsed.TotalSeconds, "s");
Report.PrintTable(results, info, Console.Out);
var output = settings.Output ?? $"pyhdfs-bench-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.json";
Report.WriteJson(results, info, output);
Console.Out.WriteLine($"JSON: {Path.GetFullPath(output)}");
return exitCode;
