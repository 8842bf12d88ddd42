using PyHdfs.NameNode;

await NameNodeHost.Build(args).RunAsync();
