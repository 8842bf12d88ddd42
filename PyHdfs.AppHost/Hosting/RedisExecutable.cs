using System.Diagnostics;
using System.Globalization;

namespace PyHdfs.AppHost.Hosting;

/// <summary>Finds Debian's redis-server, installing it with apt-get when allowed, and clears a stale one.</summary>
internal static class RedisExecutable
{
    private static readonly string[] Candidates = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"];
    private const string AptGet = "/usr/bin/apt-get";

    public static string? Find() => Candidates.FirstOrDefault(File.Exists);

    public static async Task<string> LocateOrInstallAsync(AppHostOptions options, CancellationToken cancellationToken)
    {
        var found = Find();
        if (found is not null)
        {
            return found;
        }
        if (!options.InstallRedisIfMissing || !Posix.IsRoot || !File.Exists(AptGet))
        {
            throw new InvalidOperationException(
                "redis-server is not installed. Install it with: sudo apt-get update && sudo apt-get install -y redis-server");
        }
        options.Log.WriteLine("[apphost] redis-server is missing: installing it with apt-get (Debian's redis-server package)");
        await RunAsync(options.Log, AptGet, ["update"], cancellationToken).ConfigureAwait(false);
        await RunAsync(options.Log, AptGet, ["install", "-y", "redis-server"], cancellationToken).ConfigureAwait(false);
        return Find() ?? throw new InvalidOperationException("apt-get install redis-server finished but redis-server is still missing");
    }

    private static async Task RunAsync(TextWriter log, string fileName, string[] arguments, CancellationToken cancellationToken)
    {
        log.WriteLine($"[apphost] $ {fileName} {string.Join(' ', arguments)}");
        var info = new ProcessStartInfo(fileName) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { log.WriteLine("  " + e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { log.WriteLine("  " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}");
        }
    }

    /// <summary>Writes DIR/redis.conf (mode 0600) requiring <paramref name="password"/>; returns its path.</summary>
    public static string WriteConfig(string redisDirectory, string password)
    {
        var path = Path.Combine(redisDirectory, "redis.conf");
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created private, so the password is never readable by others, not even for a moment.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var writer = new StreamWriter(new FileStream(path, options)))
        {
            writer.WriteLine("# Written by the AppHost on every start: the password changes with each run.");
            writer.WriteLine($"requirepass \"{password}\"");
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return path;
    }

    /// <summary>
    /// redis-server cannot watch its parent, so a SIGKILLed AppHost leaves it running: the next start
    /// finds its pid in DATA/run/redis.pid and kills it before starting a new one on the same data.
    /// </summary>
    public static async Task KillStaleAsync(string pidFile, TextWriter log)
    {
        if (!File.Exists(pidFile))
        {
            return;
        }
        if (int.TryParse(await File.ReadAllTextAsync(pidFile).ConfigureAwait(false), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
            && IsRedis(pid))
        {
            try
            {
                using var stale = Process.GetProcessById(pid);
                log.WriteLine($"[apphost] killing redis-server left over from a previous run (pid {pid})");
                stale.Kill();
                await stale.WaitForExitAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Gone meanwhile.
            }
        }
        File.Delete(pidFile);
    }

    private static bool IsRedis(int pid)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
            return commandLine.Contains("redis-server", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
