using System.CommandLine;

namespace PyHdfs.Cli.Infrastructure;

/// <summary>Small helpers so every command reads the same way.</summary>
internal static class CommandBuilder
{
    /// <summary>A command whose description ends with usage examples (shown by --help).</summary>
    public static Command Create(string name, string description, params string[] examples)
    {
        var command = new Command(name, description);
        ExamplesHelpAction.Register(command, examples);
        return command;
    }

    public static Option<bool> Flag(string name, string alias, string description) =>
        new(name, alias) { Description = description };

    public static Option<bool> Flag(string name, string description) =>
        new(name) { Description = description };

    /// <summary>Runs an action with a client; the client is disposed afterwards.</summary>
    public static void SetClientAction(this Command command, Func<ParseResult, Client.DfsClient, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var client = GlobalOptions.CreateClient(parse);
            return await action(parse, client, cancellationToken).ConfigureAwait(false);
        });
}
