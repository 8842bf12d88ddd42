await PyHdfs.DataNode.DataNodeHost.Build(args).RunAsync();
