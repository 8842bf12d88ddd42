namespace PyHdfs.Protocol.Security;

/// <summary>TLS cannot be set up from the given files; the message names the file and the cause.</summary>
public sealed class TlsConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
