using System.Diagnostics;

namespace PyHdfs.AppHost.Redis;

/// <summary>Finds Debian's redis-server; as root with apt-get available, installs it when it is missing.</summary>
internal static class RedisInstaller
{
    private static readonly string[] Candidates = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"];
    private const string AptGet = "/usr/bin/apt-get";

    public static string LocateOrInstall()
    {
        if (Candidates.FirstOrDefault(File.Exists) is { } found)
        {
            return found;
        }
        if (Environment.UserName != "root" || !File.Exists(AptGet))
        {
            throw new InvalidOperationException(
                "redis-server is not installed. Install it with: sudo apt-get update && sudo apt-get install -y redis-server");
        }
        Console.Error.WriteLine("[apphost] redis-server is missing: installing Debian's redis-server package with apt-get");
        Run(AptGet, "update", "-q");
        Run(AptGet, "install", "-y", "-q", "redis-server");
        return Candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("apt-get install redis-server finished but redis-server is still missing");
    }

    private static void Run(string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}");
        }
    }
}
