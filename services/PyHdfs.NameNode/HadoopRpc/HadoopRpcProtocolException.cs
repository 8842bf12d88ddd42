namespace PyHdfs.NameNode.HadoopRpc;

/// <summary>Bad bytes from a Hadoop IPC client: the connection handler refuses and closes.</summary>
public sealed class HadoopRpcProtocolException(string message) : Exception(message);
