namespace PyHdfs.NameNode.HadoopRpc;

/// <summary>A ClientProtocol method this NameNode does not serve; answered as org.apache.hadoop.ipc.RpcNoSuchMethodException.</summary>
internal sealed class HadoopNoSuchMethodException(string method)
    : Exception($"Unknown method {method} called on org.apache.hadoop.hdfs.protocol.ClientProtocol protocol.");
