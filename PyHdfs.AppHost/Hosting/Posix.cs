using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace PyHdfs.AppHost.Hosting;

/// <summary>The few operating-system calls the orchestrator needs that .NET does not expose.</summary>
public static class Posix
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    /// <summary>Asks a process to stop (SIGTERM); false when it is already gone.</summary>
    public static bool SendSigterm(int pid) => !OperatingSystem.IsWindows() && Kill(pid, SigTerm) == 0;

    /// <summary>What Ctrl+C in a terminal sends (SIGINT); false when the process is already gone.</summary>
    public static bool SendSigint(int pid) => !OperatingSystem.IsWindows() && Kill(pid, SigInt) == 0;

    public static bool IsRoot => !OperatingSystem.IsWindows() && GetEffectiveUserId() == 0;

    /// <summary>
    /// A port the OS just handed out, for children that cannot bind port 0 and report it (redis-server);
    /// a start that loses the race for it is retried on a new port.
    /// </summary>
    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);

    [DllImport("libc", EntryPoint = "geteuid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint GetEffectiveUserId();
}
