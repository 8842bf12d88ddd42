// Placeholder: replaced by the NameNode implementation.
Console.WriteLine("PyHdfs.NameNode");
