using System.Diagnostics;

namespace PyHdfs.AppHost.Hosting;

/// <summary>One running child: its output goes to a log file and a <see cref="LogRing"/>.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private readonly LogRing _ring;

    private ChildProcess(Process process, StreamWriter log, LogRing ring)
    {
        _process = process;
        _log = log;
        _ring = ring;
        Exited = WaitForExitCodeAsync();
    }

    public int Pid => _process.Id;

    /// <summary>Completes with the exit code once the process ended and its output was drained.</summary>
    public Task<int> Exited { get; }

    public bool HasExited => Exited.IsCompleted;

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment,
        string workingDirectory, string logPath, LogRing ring)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        try
        {
            process.Start();
        }
        catch
        {
            log.Dispose();
            process.Dispose();
            throw;
        }
        var child = new ChildProcess(process, log, ring);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data, isError: true);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return child;
    }

    private void OnLine(string? text, bool isError)
    {
        if (text is null)
        {
            return;
        }
        _ring.Add(new LogLine(DateTimeOffset.UtcNow, isError, text));
        lock (_logLock)
        {
            try
            {
                _log.WriteLine(text);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private async Task<int> WaitForExitCodeAsync()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, then SIGKILL of the whole tree if it is still running after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (HasExited)
        {
            return;
        }
        if (Posix.SendSigterm(Pid))
        {
            if (await Task.WhenAny(Exited, Task.Delay(grace)).ConfigureAwait(false) == Exited)
            {
                return;
            }
        }
        await KillAsync().ConfigureAwait(false);
    }

    /// <summary>SIGKILL of the process and everything it started.</summary>
    public async Task KillAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        await Exited.ConfigureAwait(false);
    }

    public void Dispose()
    {
        lock (_logLock)
        {
            _log.Dispose();
        }
        _process.Dispose();
    }
}
