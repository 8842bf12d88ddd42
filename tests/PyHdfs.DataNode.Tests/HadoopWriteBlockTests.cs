using System.Buffers.Binary;
using System.IO.Hashing;
using System.Net.Sockets;
using System.Security.Cryptography;
using Google.Protobuf;
using PyHdfs.DataNode.Tests.Support;
using PyHdfs.Protocol.DataTransfer;
using PyHdfs.Protocol.DataTransfer.Hadoop;
using PyHdfs.Protocol.Hadoop;

namespace PyHdfs.DataNode.Tests;

/// <summary>
/// Hadoop's WRITE_BLOCK and BLOCK_CHECKSUM spoken from scratch against real DataNodes: the op answer, one
/// PipelineAckProto per packet carrying every node's status, heartbeats, checksum failures and refused stages.
/// </summary>
public sealed class HadoopWriteBlockTests : IAsyncLifetime
{
    private const int Chunk = 512;
    private InProcessDataNode[] _nodes = [];

    public async ValueTask InitializeAsync() => _nodes = await InProcessDataNode.StartManyAsync(2);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static ulong NewBlockId() => (ulong)Random.Shared.NextInt64(1, long.MaxValue);

    [Fact]
    public async Task A_two_node_pipeline_acks_every_packet_for_both_nodes_and_both_replicas_have_the_checksum_of_the_bytes()
    {
        var blockId = NewBlockId();
        var data = TestTransferClient.RandomBytes(65536 + 1000, seed: 7);
        await using var stream = await TestTransferClient.ConnectAsync(_nodes[0].Address);
        await SendOpAsync(stream, HadoopOp.WriteBlock, WriteOp(blockId, targets: [_nodes[1]]));

        var answer = BlockOpResponseProto.Parser.ParseDelimitedFrom(stream);
        Assert.Equal(DataTransferStatus.Success, answer.Status);

        await SendPacketAsync(stream, HadoopPacketHeader.HeartbeatSeqNo, 0, ReadOnlyMemory<byte>.Empty);
        Assert.Equal(HadoopPacketHeader.HeartbeatSeqNo, PipelineAckProto.Parser.ParseDelimitedFrom(stream).Seqno);

        await SendPacketAsync(stream, 1, 0, data.AsMemory(0, 65536));
        await SendPacketAsync(stream, 2, 65536, data.AsMemory(65536));
        await SendPacketAsync(stream, 3, data.Length, ReadOnlyMemory<byte>.Empty, last: true);
        for (var seqNo = 1; seqNo <= 3; seqNo++)
        {
            var ack = PipelineAckProto.Parser.ParseDelimitedFrom(stream);
            Assert.Equal(seqNo, ack.Seqno);
            Assert.Equal([DataTransferStatus.Success, DataTransferStatus.Success], ack.Reply);
        }

        foreach (var node in _nodes)
        {
            var checksum = await BlockChecksumAsync(node, blockId, data.Length);
            Assert.True(checksum.Status == DataTransferStatus.Success, $"{node.Id}: {checksum.Message}");
            Assert.Equal(Md5OfChunkCrcs(data), checksum.ChecksumResponse.BlockChecksum.ToByteArray());
            Assert.Equal((ulong)((data.Length + Chunk - 1) / Chunk), checksum.ChecksumResponse.CrcPerBlock);
        }
    }

    [Fact]
    public async Task A_packet_whose_crc_does_not_match_is_acked_error_checksum_and_the_block_is_never_finalized()
    {
        var blockId = NewBlockId();
        var data = TestTransferClient.RandomBytes(4000, seed: 8);
        await using var stream = await TestTransferClient.ConnectAsync(_nodes[0].Address);
        await SendOpAsync(stream, HadoopOp.WriteBlock, WriteOp(blockId, targets: []));
        Assert.Equal(DataTransferStatus.Success, BlockOpResponseProto.Parser.ParseDelimitedFrom(stream).Status);

        await SendPacketAsync(stream, 1, 0, data, corruptChunk: 3);

        var ack = PipelineAckProto.Parser.ParseDelimitedFrom(stream);
        Assert.Equal(1, ack.Seqno);
        Assert.Equal(DataTransferStatus.ErrorChecksum, Assert.Single(ack.Reply));
        var checksum = await BlockChecksumAsync(_nodes[0], blockId, data.Length);
        Assert.Equal(DataTransferStatus.Error, checksum.Status);
        Assert.Contains($"blk_{blockId}_1", checksum.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BlockConstructionStage.PipelineSetupAppend, ChecksumTypeProto.ChecksumCrc32, "PipelineSetupAppend")]
    [InlineData(BlockConstructionStage.PipelineSetupStreamingRecovery, ChecksumTypeProto.ChecksumCrc32, "PipelineSetupStreamingRecovery")]
    [InlineData(BlockConstructionStage.PipelineSetupCreate, ChecksumTypeProto.ChecksumCrc32C, "CRC32")]
    public async Task Stages_and_checksums_not_served_get_error_unsupported_naming_the_block_and_why(BlockConstructionStage stage, ChecksumTypeProto type, string why)
    {
        var blockId = NewBlockId();
        await using var stream = await TestTransferClient.ConnectAsync(_nodes[0].Address);
        var op = WriteOp(blockId, targets: []);
        op.Stage = stage;
        op.RequestedChecksum.Type = type;
        await SendOpAsync(stream, HadoopOp.WriteBlock, op);

        var answer = BlockOpResponseProto.Parser.ParseDelimitedFrom(stream);

        Assert.Equal(DataTransferStatus.ErrorUnsupported, answer.Status);
        Assert.Contains($"blk_{blockId}_1", answer.Message, StringComparison.Ordinal);
        Assert.Contains(why, answer.Message, StringComparison.Ordinal);
        Assert.True(await TestTransferClient.ServerClosesAsync(stream, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_checksum_of_a_block_this_node_lacks_is_an_error_naming_the_block()
    {
        var checksum = await BlockChecksumAsync(_nodes[0], 4243, 10);
        Assert.Equal(DataTransferStatus.Error, checksum.Status);
        Assert.Contains("blk_4243_1", checksum.Message, StringComparison.Ordinal);
    }

    private static OpWriteBlockProto WriteOp(ulong blockId, InProcessDataNode[] targets)
    {
        var op = new OpWriteBlockProto
        {
            Header = new ClientOperationHeaderProto
            {
                BaseHeader = new BaseHeaderProto { Block = new ExtendedBlockProto { PoolId = "pyhdfs", BlockId = blockId, GenerationStamp = 1 } },
                ClientName = "hadoop-test",
            },
            Stage = BlockConstructionStage.PipelineSetupCreate,
            PipelineSize = (uint)targets.Length,
            MinBytesRcvd = 0,
            MaxBytesRcvd = 0,
            LatestGenerationStamp = 0,
            RequestedChecksum = new ChecksumProto { Type = ChecksumTypeProto.ChecksumCrc32, BytesPerChecksum = Chunk },
        };
        op.Targets.AddRange(targets.Select(t => new DatanodeInfoProto
        {
            Id = new DatanodeIDProto { IpAddr = t.Address.Host, HostName = t.Address.Host, DatanodeUuid = t.Id, XferPort = (uint)t.Port, InfoPort = 0, IpcPort = 0 },
        }));
        return op;
    }

    private static async Task<BlockOpResponseProto> BlockChecksumAsync(InProcessDataNode node, ulong blockId, int length)
    {
        await using var stream = await TestTransferClient.ConnectAsync(node.Address);
        await SendOpAsync(stream, HadoopOp.BlockChecksum, new OpBlockChecksumProto
        {
            Header = new BaseHeaderProto { Block = new ExtendedBlockProto { PoolId = "pyhdfs", BlockId = blockId, GenerationStamp = 1, NumBytes = (ulong)length } },
        });
        return BlockOpResponseProto.Parser.ParseDelimitedFrom(stream);
    }

    private static async Task SendOpAsync(NetworkStream stream, HadoopOp op, IMessage body)
    {
        await stream.WriteAsync(new byte[] { 0x00, 0x1c, (byte)op }, Token);
        body.WriteDelimitedTo(stream);
        await stream.FlushAsync(Token);
    }

    private static async Task SendPacketAsync(NetworkStream stream, long seqNo, long offset, ReadOnlyMemory<byte> data, bool last = false, int corruptChunk = -1)
    {
        var frame = HadoopPacketHeader.PrefixSize + HadoopPacketHeader.ProtoSize;
        var checksumBytes = ChunkChecksums.CountFor(data.Length, Chunk) * ChunkChecksums.ChecksumSize;
        var packet = new byte[frame + checksumBytes + data.Length];
        new HadoopPacketHeader(offset, seqNo, last, data.Length, false).WriteFrame(packet, Chunk);
        ChunkChecksums.Compute(data.Span, Chunk, packet.AsSpan(frame, checksumBytes));
        if (corruptChunk >= 0)
        {
            packet[frame + (corruptChunk * ChunkChecksums.ChecksumSize)] ^= 0xFF;
        }
        data.CopyTo(packet.AsMemory(frame + checksumBytes));
        await stream.WriteAsync(packet, Token);
    }

    /// <summary>What Hadoop's BLOCK_CHECKSUM carries, computed independently: MD5 over the big-endian CRC32 of each 512-byte chunk.</summary>
    private static byte[] Md5OfChunkCrcs(byte[] data)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var crc = new byte[4];
        for (var at = 0; at < data.Length; at += Chunk)
        {
            BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.HashToUInt32(data.AsSpan(at, Math.Min(Chunk, data.Length - at))));
            md5.AppendData(crc);
        }
        return md5.GetHashAndReset();
    }
}
