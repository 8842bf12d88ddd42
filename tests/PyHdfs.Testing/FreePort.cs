using System.Net;
using System.Net.Sockets;

namespace PyHdfs.Testing;

/// <summary>
/// An ephemeral port the OS just handed out. Only for programs that cannot bind port 0 and report
/// it (redis-server); callers retry on the rare collision.
/// </summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
