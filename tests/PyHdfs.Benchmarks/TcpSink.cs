using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PyHdfs.Testing;

namespace PyHdfs.Benchmarks;

/// <summary>
/// Raw loopback TCP between two processes: the child (this program with the hidden <c>--tcp-sink</c>
/// mode) listens, reads and discards; the parent writes large buffers with no framing.
/// </summary>
public static class TcpSink
{
    public const string Mode = "--tcp-sink";

    /// <summary>The child side: prints its port, reads one connection to the end, prints the byte count.</summary>
    public static int Run()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Console.Out.WriteLine(((IPEndPoint)listener.LocalEndpoint).Port);
        Console.Out.Flush();
        using var socket = listener.AcceptSocket();
        var buffer = new byte[1 << 20];
        long total = 0;
        int n;
        while ((n = socket.Receive(buffer)) > 0)
        {
            total += n;
        }
        Console.Out.WriteLine(total);
        return 0;
    }

    /// <summary>Sends <paramref name="bytes"/> to a child sink; returns MB/s (until the child has read all).</summary>
    public static async Task<double> MeasureAsync(long bytes)
    {
        var info = new ProcessStartInfo(RepositoryLayout.DotnetHost()) { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(TcpSink).Assembly.Location);
        info.ArgumentList.Add(Mode);
        using var child = Process.Start(info) ?? throw new InvalidOperationException("could not start the TCP sink");
        try
        {
            var port = int.Parse(await child.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the sink printed no port"));
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(IPAddress.Loopback, port);
            var buffer = new byte[1 << 20];
            Random.Shared.NextBytes(buffer);
            var watch = Stopwatch.StartNew();
            for (long sent = 0; sent < bytes; sent += buffer.Length)
            {
                await client.SendAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, bytes - sent)));
            }
            client.Shutdown(SocketShutdown.Send);
            var received = long.Parse(await child.StandardOutput.ReadLineAsync() ?? "0");
            watch.Stop();
            if (received != bytes)
            {
                throw new InvalidOperationException($"the sink read {received} bytes of {bytes}");
            }
            return Units.MBps(bytes, watch.Elapsed);
        }
        finally
        {
            await child.WaitForExitAsync();
        }
    }
}
