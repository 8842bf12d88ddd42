// Placeholder: replaced by the Metadata implementation.
Console.WriteLine("PyHdfs.Metadata");
