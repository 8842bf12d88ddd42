namespace PyHdfs.Cli.Infrastructure;

/// <summary>A failure the CLI explains in one line: exit code 1 for errors, 2 for usage errors.</summary>
internal sealed class CliException(string message, int exitCode = ExitCodes.Error) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static CliException Usage(string message) => new(message, ExitCodes.Usage);
}

internal static class ExitCodes
{
    public const int Success = 0;
    public const int Error = 1;
    public const int Usage = 2;
}
