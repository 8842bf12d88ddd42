using System.Net.Sockets;
using PyHdfs.Client;
using PyHdfs.Protocol;

namespace PyHdfs.Cli.Infrastructure;

/// <summary>Turns any failure into the one line "pyhdfs: COMMAND: message" and an exit code.</summary>
internal static class ErrorFormatter
{
    public static (string Line, int ExitCode) Format(string command, Exception error)
    {
        var prefix = string.IsNullOrEmpty(command) ? "pyhdfs: " : $"pyhdfs: {command}: ";
        return error switch
        {
            CliException cli => (prefix + cli.Message, cli.ExitCode),
            DfsIOException dfs => (prefix + Describe(command, dfs), dfs.Kind is ErrorKind.InvalidPath or ErrorKind.InvalidArgument ? ExitCodes.Usage : ExitCodes.Error),
            OperationCanceledException => (prefix + "interrupted", 130),
            UnauthorizedAccessException e => (prefix + OneLine(e.Message), ExitCodes.Error),
            FileNotFoundException e => (prefix + $"{e.FileName ?? "file"}: no such local file", ExitCodes.Error),
            DirectoryNotFoundException e => (prefix + OneLine(e.Message), ExitCodes.Error),
            IOException { InnerException: SocketException s } e => (prefix + OneLine(e.Message) + $" ({s.SocketErrorCode})", ExitCodes.Error),
            IOException e => (prefix + OneLine(e.Message), ExitCodes.Error),
            FormatException e => (prefix + OneLine(e.Message), ExitCodes.Usage),
            ArgumentException e => (prefix + OneLine(e.Message), ExitCodes.Usage),
            _ => (prefix + $"unexpected error: {error.GetType().Name}: {OneLine(error.Message)} (set PYHDFS_DEBUG=1 for details)", ExitCodes.Error),
        };
    }

    private static string Describe(string command, DfsIOException e)
    {
        var message = OneLine(e.Message);
        return e.Kind switch
        {
            ErrorKind.AlreadyExists when command is "put" => $"{message} (use -f to overwrite)",
            ErrorKind.NotEmpty when command is "rm" && !message.Contains("recursiv", StringComparison.OrdinalIgnoreCase) => $"{message} (use -r to delete a directory and its contents)",
            ErrorKind.SafeMode => $"{message} (the NameNode is in safe mode; try again when enough DataNodes have reported)",
            _ => message,
        };
    }

    public static string OneLine(string text)
    {
        var newline = text.IndexOfAny(['\r', '\n']);
        return (newline >= 0 ? text[..newline] : text).Trim();
    }
}
