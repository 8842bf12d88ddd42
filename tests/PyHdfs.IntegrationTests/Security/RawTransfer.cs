using System.Net.Sockets;
using Google.Protobuf;
using PyHdfs.Protocol;
using PyHdfs.Protocol.DataTransfer;

namespace PyHdfs.IntegrationTests.Security;

/// <summary>The DataNode's answer to a raw ReadBlock: its status and message, and the block's bytes when it served them.</summary>
internal sealed record BlockReadResult(TransferStatus Status, string Message, byte[] Data);

/// <summary>
/// The block-transfer protocol spoken to one DataNode directly, as any program could (no client library):
/// whole-block reads that verify every chunk, and bare WriteBlock op headers.
/// </summary>
internal static class RawTransfer
{
    public static async Task<NetworkStream> ConnectAsync(DataNodeAddress node)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(node.Host, node.DataPort, Dfs.Token);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends only a WriteBlock op header; returns the DataNode's answer to it.</summary>
    public static async Task<OpResponse> WriteHeaderAsync(DataNodeAddress node, WriteBlockHeader header)
    {
        await using var stream = await ConnectAsync(node);
        await TransferFraming.WriteOpAsync(stream, Opcode.WriteBlock, header, Dfs.Token);
        return await TransferFraming.ReadMessageAsync(stream, OpResponse.Parser, TransferLimits.Default, Dfs.Token);
    }

    /// <summary>A whole block over plain TCP; the read must succeed.</summary>
    public static async Task<byte[]> ReadAsync(DataNodeAddress node, BlockRef block, ByteString accessToken)
    {
        var result = await TryReadAsync(node, block, accessToken);
        Assert.True(result.Status == TransferStatus.Success, $"{node.Id} answered {result.Status}: {result.Message}");
        return result.Data;
    }

    /// <summary>A whole block over plain TCP, or the DataNode's refusal.</summary>
    public static async Task<BlockReadResult> TryReadAsync(DataNodeAddress node, BlockRef block, ByteString accessToken)
    {
        await using var stream = await ConnectAsync(node);
        return await ReadOverAsync(stream, block, accessToken);
    }

    /// <summary>Sends ReadBlock (the whole block) on a connection the caller opened (plain or TLS) and reads the answer.</summary>
    public static async Task<BlockReadResult> ReadOverAsync(Stream stream, BlockRef block, ByteString accessToken, string clientName = "raw-reader")
    {
        await TransferFraming.WriteOpAsync(stream, Opcode.ReadBlock,
            new ReadBlockHeader { Block = block, ClientName = clientName, AccessToken = accessToken }, Dfs.Token);
        var response = await TransferFraming.ReadMessageAsync(stream, OpResponse.Parser, TransferLimits.Default, Dfs.Token);
        if (response.Status != TransferStatus.Success)
        {
            return new BlockReadResult(response.Status, response.Message, []);
        }
        using var data = new MemoryStream();
        var header = new byte[PacketHeader.Size];
        while (true)
        {
            await TransferFraming.ReadExactlyOrThrowAsync(stream, header, "packet header", Dfs.Token);
            Assert.True(PacketHeader.TryParse(header, TransferLimits.Default, out var packet), "malformed packet header");
            if (packet.IsLast)
            {
                return new BlockReadResult(response.Status, response.Message, data.ToArray());
            }
            var body = new byte[packet.ChecksumBytes(response.BytesPerChecksum) + packet.DataLength];
            await TransferFraming.ReadExactlyOrThrowAsync(stream, body, "packet body", Dfs.Token);
            var checksums = body.AsSpan(0, body.Length - packet.DataLength);
            var chunkData = body.AsSpan(checksums.Length);
            Assert.True(ChunkChecksums.FindMismatch(chunkData, response.BytesPerChecksum, checksums) < 0, "a chunk does not match its checksum");
            data.Write(chunkData);
        }
    }
}
