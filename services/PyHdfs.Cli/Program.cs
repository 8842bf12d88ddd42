return await PyHdfs.Cli.CliApp.RunAsync(args);
