using Spectre.Console;

namespace PyHdfs.Cli.Output;

/// <summary>
/// A progress bar on stderr (bytes, rate, ETA), only when stderr is a terminal and the transfer is long
/// (known size of at least <see cref="MinimumBytes"/>, or unknown size). Otherwise nothing is drawn.
/// </summary>
internal static class TransferProgress
{
    public const long MinimumBytes = 16L << 20;

    public static bool ShouldShow(long? totalBytes) =>
        Terminal.StderrIsTerminal && Environment.GetEnvironmentVariable("PYHDFS_NO_PROGRESS") is null
        && (totalBytes is null || totalBytes >= MinimumBytes);

    /// <summary>Runs <paramref name="transfer"/>, which reports bytes moved through the callback it is given.</summary>
    public static async Task RunAsync(string description, long? totalBytes, Func<Action<long>, Task> transfer)
    {
        if (!ShouldShow(totalBytes))
        {
            await transfer(static _ => { }).ConfigureAwait(false);
            return;
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        await console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new DownloadedColumn(),
                new TransferSpeedColumn(),
                new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(description), autoStart: true, maxValue: totalBytes ?? 1);
                task.IsIndeterminate = totalBytes is null;
                await transfer(bytes => task.Increment(bytes)).ConfigureAwait(false);
                task.Value = task.MaxValue;
            }).ConfigureAwait(false);
    }
}
