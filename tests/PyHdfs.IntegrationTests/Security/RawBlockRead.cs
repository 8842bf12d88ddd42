using System.Net.Sockets;
using PyHdfs.Protocol;
using PyHdfs.Protocol.DataTransfer;

namespace PyHdfs.IntegrationTests.Security;

/// <summary>Reads a whole block from one named DataNode over the block-transfer protocol, verifying every chunk.</summary>
internal static class RawBlockRead
{
    public static async Task<byte[]> ReadAsync(string dataEndpoint, BlockRef block, Google.Protobuf.ByteString accessToken)
    {
        var colon = dataEndpoint.LastIndexOf(':');
        using var client = new TcpClient();
        await client.ConnectAsync(dataEndpoint[..colon], int.Parse(dataEndpoint[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture), Dfs.Token);
        await using var stream = client.GetStream();
        await TransferFraming.WriteOpAsync(stream, Opcode.ReadBlock,
            new ReadBlockHeader { Block = block, ClientName = "raw-reader", AccessToken = accessToken }, Dfs.Token);
        var response = await TransferFraming.ReadMessageAsync(stream, OpResponse.Parser, TransferLimits.Default, Dfs.Token);
        Assert.True(response.Status == TransferStatus.Success, $"{dataEndpoint} answered {response.Status}: {response.Message}");
        using var data = new MemoryStream();
        var header = new byte[PacketHeader.Size];
        while (true)
        {
            await TransferFraming.ReadExactlyOrThrowAsync(stream, header, "packet header", Dfs.Token);
            Assert.True(PacketHeader.TryParse(header, TransferLimits.Default, out var packet));
            if (packet.IsLast)
            {
                return data.ToArray();
            }
            var body = new byte[packet.ChecksumBytes(response.BytesPerChecksum) + packet.DataLength];
            await TransferFraming.ReadExactlyOrThrowAsync(stream, body, "packet body", Dfs.Token);
            var checksums = body.AsSpan(0, body.Length - packet.DataLength);
            var chunkData = body.AsSpan(checksums.Length);
            Assert.True(ChunkChecksums.FindMismatch(chunkData, response.BytesPerChecksum, checksums) < 0, $"a chunk from {dataEndpoint} does not match its checksum");
            data.Write(chunkData);
        }
    }
}
