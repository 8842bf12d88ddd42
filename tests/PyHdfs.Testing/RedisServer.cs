using System.Diagnostics;
using System.Net.Sockets;

namespace PyHdfs.Testing;

/// <summary>A real redis-server process on an ephemeral port with its own directory; killed on dispose.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _directory;

    private RedisServer(Process process, TempDirectory directory, int port, string? password)
    {
        _process = process;
        _directory = directory;
        Port = port;
        Password = password;
    }

    public int Port { get; }

    /// <summary>The password clients must AUTH with (Redis <c>requirepass</c>), or null for an open server.</summary>
    public string? Password { get; }

    /// <summary>StackExchange.Redis connection string (with the password when there is one).</summary>
    public string ConnectionString => Password is null ? $"127.0.0.1:{Port}" : $"127.0.0.1:{Port},password={Password}";

    /// <param name="password">When set, the server requires it; it is given in a 0600 config file, never on the command line.</param>
    public static async Task<RedisServer> StartAsync(string? password = null)
    {
        var executable = FindRedisServer();
        for (var attempt = 1; ; attempt++)
        {
            var directory = new TempDirectory("pyhdfs-redis");
            var port = FreePort.Next();
            var info = new ProcessStartInfo(executable)
            {
                ArgumentList = { ConfigFile(directory.Path, password), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                    "--dir", directory.Path, "--save", "", "--appendonly", "no", "--daemonize", "no" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            var process = Process.Start(info) ?? throw new InvalidOperationException("could not start redis-server");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new RedisServer(process, directory, port, password);
            try
            {
                await Eventually.WaitUntilAsync(() => process.HasExited || CanConnect(port), TimeSpan.FromSeconds(10), $"redis-server on port {port}").ConfigureAwait(false);
                if (!process.HasExited)
                {
                    return server;
                }
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
            await server.DisposeAsync().ConfigureAwait(false);
            if (attempt >= 3)
            {
                throw new InvalidOperationException($"redis-server did not start on port {port} after {attempt} attempts");
            }
        }
    }

    private static string ConfigFile(string directory, string? password)
    {
        var path = System.IO.Path.Combine(directory, "redis.conf");
        File.WriteAllText(path, password is null ? "" : $"requirepass \"{password}\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return path;
    }

    private static bool CanConnect(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string FindRedisServer()
    {
        foreach (var candidate in new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("redis-server is not installed: run the README's test command, which installs it (apt-get install redis-server)");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        _directory.Dispose();
    }
}
