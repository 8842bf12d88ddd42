namespace PyHdfs.Cli.Output;

/// <summary>Where output goes. stdout carries data (binary-safe); stderr carries errors, warnings and progress.</summary>
internal static class Terminal
{
    public static bool StderrIsTerminal => !Console.IsErrorRedirected;

    public static void Error(string line) => Console.Error.WriteLine(line);

    public static void Warning(string line) => Console.Error.WriteLine("warning: " + line);
}
