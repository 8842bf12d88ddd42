using System.Diagnostics;
using System.Globalization;

namespace PyHdfs.Benchmarks;

/// <summary>The machine and the source the figures belong to.</summary>
public sealed record RunInfo(string Started, string Mode, int Cores, double MemoryGiB, string Disk, string Kernel, string GitCommit)
{
    public static RunInfo Collect(string mode, string diskDirectory, string repositoryRoot) => new(
        DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture),
        mode,
        Environment.ProcessorCount,
        MemTotalBytes() / (double)Units.GiB,
        DescribeDisk(diskDirectory),
        ReadTrimmed("/proc/sys/kernel/osrelease"),
        Git(repositoryRoot, "rev-parse", "HEAD") + (Git(repositoryRoot, "status", "--porcelain").Length > 0 ? " (dirty)" : ""));

    private static long MemTotalBytes()
    {
        var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    private static string DescribeDisk(string directory)
    {
        var full = Path.GetFullPath(directory);
        var mount = File.ReadLines("/proc/mounts")
            .Select(l => l.Split(' '))
            .Where(p => p.Length > 2 && full.StartsWith(p[1], StringComparison.Ordinal))
            .MaxBy(p => p[1].Length);
        var drive = new DriveInfo(mount?[1] ?? "/");
        return $"{mount?[0] ?? "?"} on {mount?[1] ?? "/"} ({mount?[2] ?? "?"}, {drive.TotalSize / (double)Units.GiB:0} GiB, {drive.AvailableFreeSpace / (double)Units.GiB:0} GiB free)";
    }

    private static string ReadTrimmed(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : "?";

    private static string Git(string root, params string[] args)
    {
        try
        {
            var info = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
            foreach (var arg in args)
            {
                info.ArgumentList.Add(arg);
            }
            using var git = Process.Start(info);
            if (git is null)
            {
                return "?";
            }
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : "?";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }
}
