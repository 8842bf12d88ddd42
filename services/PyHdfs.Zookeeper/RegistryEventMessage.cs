using System.Buffers.Text;
using Google.Protobuf;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Registry;

namespace PyHdfs.Zookeeper;

/// <summary>
/// The pub/sub message format on the events channel: <c>KIND:REGISTERED_MS:INFO</c>, where KIND is the
/// <see cref="DataNodeEvent.Types.Kind"/> number, REGISTERED_MS the registration time kept beside the
/// node's info, and INFO the DataNodeInfo protobuf bytes. The Lua scripts build it, so that the
/// decision (added, updated, removed) and its announcement are one atomic step in Redis.
/// </summary>
public static class RegistryEventMessage
{
    public const string AddedPrefix = "1:";
    public const string UpdatedPrefix = "2:";
    public const string RemovedPrefix = "3:0:";

    /// <summary>The INFO part of a REMOVED message: only the id is known once the key has expired.</summary>
    public static byte[] RemovedInfo(string id) => new DataNodeInfo { Address = new DataNodeAddress { Id = id } }.ToByteArray();

    public static DataNodeEvent? TryDecode(byte[]? message)
    {
        if (message is null)
        {
            return null;
        }
        var span = message.AsSpan();
        var first = span.IndexOf((byte)':');
        if (first <= 0)
        {
            return null;
        }
        var second = span[(first + 1)..].IndexOf((byte)':');
        if (second < 0)
        {
            return null;
        }
        second += first + 1;
        if (!Utf8Parser.TryParse(span[..first], out int kind, out _)
            || !Utf8Parser.TryParse(span[(first + 1)..second], out long registered, out _)
            || kind is < 1 or > 3)
        {
            return null;
        }
        DataNodeInfo info;
        try
        {
            info = DataNodeInfo.Parser.ParseFrom(span[(second + 1)..]);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
        if (registered > 0)
        {
            info.RegisteredUnixMs = registered;
        }
        return new DataNodeEvent { Kind = (DataNodeEvent.Types.Kind)kind, Nodes = { info } };
    }
}
