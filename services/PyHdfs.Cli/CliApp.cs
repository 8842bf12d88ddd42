using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using PyHdfs.Cli.Commands;
using PyHdfs.Cli.Infrastructure;
using PyHdfs.Cli.Output;

namespace PyHdfs.Cli;

/// <summary>Builds the command tree, runs one command and turns every failure into one line on stderr.</summary>
internal static class CliApp
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "pyhdfs: the PyHDFS command line. Files are cut into blocks stored on several DataNodes; the NameNode keeps the namespace. " +
            "The NameNode is found with --namenode, else $PYHDFS_NAMENODE, else the cluster file written by the AppHost " +
            "($PYHDFS_CLUSTER_FILE, default ~/.pyhdfs/cluster.json). You act as $PYHDFS_USER if set, else as your OS user; " +
            "the NameNode checks owner, group and mode (chmod, chown, chgrp) on every operation.");
        ExamplesHelpAction.Register(root,
        [
            "pyhdfs put ./big.iso /data/big.iso",
            "pyhdfs get /data/big.iso ./copy.iso",
            "pyhdfs ls -R /data ; pyhdfs mkdir -p /a/b ; pyhdfs rm -r /a ; pyhdfs mv /x /y",
            "pyhdfs --namenode 127.0.0.1:9000 df -h",
        ]);
        // "-h" means "human-readable sizes" for ls, du and df, as in hdfs dfs; help is --help or -?.
        foreach (var help in root.Options.OfType<HelpOption>().ToArray())
        {
            root.Options.Remove(help);
        }
        var helpOption = new HelpOption("--help", "-?") { Recursive = true };
        if (helpOption.Action is SynchronousCommandLineAction defaultHelp)
        {
            helpOption.Action = new ExamplesHelpAction(defaultHelp);
        }
        root.Options.Add(helpOption);
        root.Options.Add(GlobalOptions.NameNode);
        root.Subcommands.Add(PutCommand.Create());
        root.Subcommands.Add(AppendToFileCommand.Create());
        root.Subcommands.Add(GetCommand.Create());
        root.Subcommands.Add(CatCommand.Create());
        root.Subcommands.Add(LsCommand.Create());
        root.Subcommands.Add(MkdirCommand.Create());
        root.Subcommands.Add(RmCommand.Create());
        root.Subcommands.Add(MvCommand.Create());
        root.Subcommands.Add(StatCommand.Create());
        root.Subcommands.Add(DuCommand.Create());
        root.Subcommands.Add(DfCommand.Create());
        root.Subcommands.Add(SetrepCommand.Create());
        root.Subcommands.Add(TruncateCommand.Create());
        root.Subcommands.Add(ChmodCommand.Create());
        root.Subcommands.Add(ChownCommand.Create());
        root.Subcommands.Add(ChgrpCommand.Create());
        root.Subcommands.Add(FsckCommand.Create());
        root.Subcommands.Add(AdminCommand.Create());
        root.Subcommands.Add(TraceCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var root = BuildRoot();
        var parse = root.Parse(args);
        var command = parse.CommandResult.Command == root ? "" : parse.CommandResult.Command.Name;
        if (parse.Errors.Count > 0 && parse.Action is not ExamplesHelpAction)
        {
            var hint = command.Length == 0 ? "pyhdfs --help" : $"pyhdfs {command} --help";
            var error = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
            Terminal.Error($"pyhdfs: {(command.Length == 0 ? "" : command + ": ")}{error.Message.TrimEnd('.')} (see {hint})");
            return ExitCodes.Usage;
        }
        try
        {
            using var telemetry = Telemetry.Start(parse.GetValue(TraceOption.Option));
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var (line, exitCode) = ErrorFormatter.Format(command, e);
            Terminal.Error(line);
            if (Environment.GetEnvironmentVariable("PYHDFS_DEBUG") == "1")
            {
                Console.Error.WriteLine(e);
            }
            return exitCode;
        }
    }
}
