using System.Diagnostics;
using PyHdfs.Testing;

namespace PyHdfs.AppHost.Tests;

internal static class ProcessAssert
{
    public static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    public static Task GoneAsync(int pid, string what) =>
        Eventually.WaitUntilAsync(() => !IsAlive(pid), TimeSpan.FromSeconds(30), $"{what} (pid {pid}) to exit");
}
