using System.Diagnostics;
using System.Globalization;

namespace PyHdfs.IntegrationTests.Security;

/// <summary>
/// A small tmpfs mounted on a directory, for tests of a full disk (needs Linux and root). <see cref="TryMount"/>
/// says why not otherwise, so the test can skip with that reason.
/// </summary>
public sealed class TmpfsMount
{
    private readonly string _mountPoint;

    private TmpfsMount(string mountPoint) => _mountPoint = mountPoint;

    /// <summary>Mounts a tmpfs of <paramref name="bytes"/> on <paramref name="mountPoint"/> (created if missing); null and the reason when it cannot.</summary>
    public static TmpfsMount? TryMount(string mountPoint, long bytes, out string? skipReason)
    {
        skipReason = null;
        if (!OperatingSystem.IsLinux())
        {
            skipReason = "mounting a small tmpfs needs Linux";
            return null;
        }
        Directory.CreateDirectory(mountPoint);
        var size = (bytes / 1024).ToString(CultureInfo.InvariantCulture) + "k";
        var (exitCode, output) = Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", mountPoint);
        if (exitCode != 0)
        {
            skipReason = $"cannot mount a {bytes >> 20} MiB tmpfs at {mountPoint} (needs root; running as {Environment.UserName}): {output.Trim()}";
            return null;
        }
        return new TmpfsMount(mountPoint);
    }

    /// <summary>Unmounts; lazily when something still holds it. Call after the processes using it have stopped.</summary>
    public void Unmount()
    {
        if (Run("umount", _mountPoint).ExitCode != 0)
        {
            Run("umount", "-l", _mountPoint);
        }
    }

    private static (int ExitCode, string Output) Run(string command, params string[] args)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        args.ToList().ForEach(start.ArgumentList.Add);
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
