using System.Text;

namespace PyHdfs.Protocol.DataTransfer.Hadoop;

/// <summary>
/// Varint-prefixed BlockOpResponseProto replies written by hand (reference §3.2). Every reply is at
/// least 5 bytes including the prefix, because the Go client first reads exactly 5 (§0.4).
/// </summary>
public static class HadoopOpResponse
{
    public const int StatusErrorUnsupported = 7;
    private const int MaxMessageBytes = 120;

    /// <summary>{status ERROR_UNSUPPORTED, message}; the message is cut to keep every length a one-byte varint.</summary>
    public static byte[] Unsupported(string message)
    {
        var text = Encoding.UTF8.GetBytes(message);
        if (text.Length > MaxMessageBytes)
            text = text[..MaxMessageBytes];
        var body = new byte[4 + text.Length];
        body[0] = 0x08;
        body[1] = StatusErrorUnsupported;
        body[2] = 0x2a;
        body[3] = (byte)text.Length;
        text.CopyTo(body, 4);
        return [(byte)body.Length, .. body];
    }
}
