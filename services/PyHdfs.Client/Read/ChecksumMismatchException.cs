namespace PyHdfs.Client.Read;

/// <summary>A replica sent data whose CRC does not match its checksum.</summary>
internal sealed class ChecksumMismatchException(string message) : IOException(message);
