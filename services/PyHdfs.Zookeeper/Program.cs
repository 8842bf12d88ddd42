using PyHdfs.Zookeeper;

await ZookeeperHost.Build(args).RunAsync();
