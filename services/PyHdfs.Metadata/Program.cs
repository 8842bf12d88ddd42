using PyHdfs.Metadata;

await MetadataHost.Build(args).RunAsync();
