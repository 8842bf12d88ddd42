// Placeholder: replaced by the Zookeeper implementation.
Console.WriteLine("PyHdfs.Zookeeper");
