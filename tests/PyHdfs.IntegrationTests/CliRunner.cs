using System.Diagnostics;
using System.Text;
using PyHdfs.Testing;

namespace PyHdfs.IntegrationTests;

/// <summary>What one run of the real pyhdfs executable did.</summary>
public sealed record CliResult(int ExitCode, byte[] Stdout, string Stderr, long PeakRssBytes)
{
    public string StdoutText => Encoding.UTF8.GetString(Stdout);

    public IReadOnlyList<string> StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}; stdout: {StdoutText.Trim()}; stderr: {Stderr.Trim()}";
}

/// <summary>
/// Runs <c>dotnet services/PyHdfs.Cli/bin/CONFIG/net10.0/pyhdfs.dll</c> as a user would, with no
/// cluster discovery from the environment (only what the caller passes).
/// </summary>
public static class CliRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    public static string CliAssembly { get; } = RepositoryLayout.Current.CliAssembly;

    /// <param name="workingDirectory">Where relative local paths resolve.</param>
    /// <param name="environment">Extra environment (e.g. PYHDFS_NAMENODE); HOME is a fresh directory, so no real ~/.pyhdfs is read.</param>
    public static Process Start(string? nameNode, IEnumerable<string> args, string workingDirectory, bool redirectStdin,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(RepositoryLayout.DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardInput = redirectStdin,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(CliAssembly);
        if (nameNode is not null)
        {
            info.ArgumentList.Add("--namenode");
            info.ArgumentList.Add(nameNode);
        }
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment.Remove("PYHDFS_NAMENODE");
        info.Environment.Remove("PYHDFS_DEBUG");
        info.Environment.Remove("PYHDFS_CLUSTER_FILE");
        info.Environment.Remove("PYHDFS_USER"); // the CLI acts as the OS user (the cluster's superuser) unless a test says otherwise
        var home = Path.Combine(workingDirectory, "home");
        Directory.CreateDirectory(home);
        info.Environment["HOME"] = home;
        info.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        return Process.Start(info) ?? throw new InvalidOperationException("could not start pyhdfs");
    }

    public static async Task<CliResult> RunAsync(string? nameNode, byte[]? stdin, IEnumerable<string> args, string workingDirectory,
        TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(nameNode, args, workingDirectory, redirectStdin: true, environment);
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var stdout = new MemoryStream();
        var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout, deadline.Token);
        var readErr = process.StandardError.ReadToEndAsync(deadline.Token);
        var peak = PeakMemory.TrackAsync(process.Id, process.WaitForExitAsync(deadline.Token));
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.BaseStream.WriteAsync(stdin, deadline.Token);
            }
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The CLI exited without reading all of stdin (e.g. a usage error): its exit code tells.
        }
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            await copyOut;
            var stderr = await readErr;
            return new CliResult(process.ExitCode, stdout.ToArray(), stderr, await peak);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"pyhdfs {string.Join(' ', args)} did not finish within {(timeout ?? DefaultTimeout).TotalSeconds:0} s");
        }
    }
}
