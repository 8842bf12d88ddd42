namespace PyHdfs.Client.Read;

/// <summary>A DataNode refused a read for want of a valid block access token (ERROR_ACCESS_TOKEN): a fresh token may be granted.</summary>
internal sealed class BlockAccessRefusedException(string message) : IOException(Prefix + message)
{
    public const string Prefix = "access refused: ";
}
