using System.CommandLine;
using System.CommandLine.Invocation;
using System.Runtime.CompilerServices;

namespace PyHdfs.Cli.Infrastructure;

/// <summary>
/// --help as System.CommandLine prints it, followed by the command's examples (kept out of the
/// description so that the root's command list stays one line per command).
/// </summary>
internal sealed class ExamplesHelpAction(SynchronousCommandLineAction inner) : SynchronousCommandLineAction
{
    private static readonly ConditionalWeakTable<Command, string[]> Examples = [];

    public static void Register(Command command, string[] examples) => Examples.AddOrUpdate(command, examples);

    public override int Invoke(ParseResult parseResult)
    {
        var result = inner.Invoke(parseResult);
        if (Examples.TryGetValue(parseResult.CommandResult.Command, out var examples) && examples.Length > 0)
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Examples:");
            foreach (var example in examples)
            {
                output.WriteLine("  " + example);
            }
            output.WriteLine();
        }
        return result;
    }
}
