// Placeholder: replaced by the DataNode implementation.
Console.WriteLine("PyHdfs.DataNode");
