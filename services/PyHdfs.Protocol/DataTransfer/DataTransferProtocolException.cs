namespace PyHdfs.Protocol.DataTransfer;

/// <summary>
/// The one error type of the block-transfer protocol's parsers: malformed, truncated or
/// out-of-limits input. The connection handler catches it, logs it and drops the connection.
/// </summary>
public sealed class DataTransferProtocolException(string message) : IOException(message);
