using System.Diagnostics;
using PyHdfs.Testing;

namespace PyHdfs.Benchmarks;

/// <summary>One run of the real pyhdfs executable: wall time (including process start), peak RSS and CPU seconds (polled, so the last few ms may be missing).</summary>
public sealed record CliRun(TimeSpan Elapsed, long PeakRss, double CpuSeconds)
{
    public static string CliAssembly { get; } = RepositoryLayout.Current.CliAssembly;

    public static async Task<CliRun> RunAsync(string nameNode, string workingDirectory, IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo(RepositoryLayout.DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(CliAssembly);
        info.ArgumentList.Add("--namenode");
        info.ArgumentList.Add(nameNode);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["PYHDFS_NO_PROGRESS"] = "1";
        info.Environment["NO_COLOR"] = "1";
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start pyhdfs");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var exited = process.WaitForExitAsync();
        var peak = ProcStatus.TrackPeakAsync(process.Id, exited);
        var cpu = TrackCpuAsync(process.Id, exited);
        await exited;
        watch.Stop();
        await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pyhdfs {string.Join(' ', args)} exited {process.ExitCode}: {(await stderr).Trim()}");
        }
        return new CliRun(watch.Elapsed, await peak, await cpu);
    }

    private static async Task<double> TrackCpuAsync(int pid, Task exited)
    {
        double last = 0;
        while (!exited.IsCompleted)
        {
            last = Math.Max(last, CpuTime.Seconds(pid));
            await Task.WhenAny(exited, Task.Delay(20));
        }
        return last;
    }
}
