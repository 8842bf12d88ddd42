using System.Diagnostics;
using PyHdfs.Testing;

namespace PyHdfs.IntegrationTests.WebHdfs;

/// <summary>One run of a WebHDFS client no one here wrote (python3-fsspec, npm webhdfs, curl), from tests/webhdfs-clients.</summary>
public static class OutsideClient
{
    /// <summary>tests/webhdfs-clients: the scripts, and the npm package installed there by <c>npm ci</c> (scripts/test.sh).</summary>
    public static string Directory { get; } = Path.Combine(RepositoryLayout.Current.Root, "tests", "webhdfs-clients");

    /// <summary>Debian's interpreter, where python3-fsspec and python3-requests are installed (not a pyenv shim on PATH).</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>Runs the program to its end (killed past <paramref name="timeout"/>); returns stdout, or fails with stderr.</summary>
    public static async Task<string> RunAsync(string program, IEnumerable<string> args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment.Remove("http_proxy");
        info.Environment.Remove("HTTP_PROXY");
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(Dfs.Token);
        var stderr = process.StandardError.ReadToEndAsync(Dfs.Token);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Dfs.Token);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', info.ArgumentList)} ran longer than {timeout}: {await stderr}");
        }
        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', info.ArgumentList)} exited {process.ExitCode}:\n{await stderr}\n{output}");
        return output;
    }
}
