using System.Buffers.Binary;
using System.Net.Sockets;
using PyHdfs.Protocol;
using PyHdfs.Protocol.DataTransfer;

namespace PyHdfs.DataNode.Tests.Support;

/// <summary>The outcome of a write as the client saw it.</summary>
public sealed record WriteOutcome(OpResponse Response, IReadOnlyList<PipelineAck> Acks, long LastSeqNo)
{
    public bool FullySucceeded =>
        Response.Status == TransferStatus.Success
        && Acks.Count > 0
        && Acks[^1].Seqno == LastSeqNo
        && Acks.All(a => a.Replies.All(r => r == TransferStatus.Success));
}

/// <summary>The outcome of a read: the server's answer and the requested range, every chunk verified.</summary>
public sealed record ReadOutcome(OpResponse Response, byte[] Data, int PacketCount);

/// <summary>A test-side client speaking the block-transfer protocol from scratch (through the shared framing code).</summary>
public static class TestTransferClient
{
    public static readonly TransferLimits Limits = TransferLimits.Default;

    public static byte[] RandomBytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    public static async Task<NetworkStream> ConnectAsync(DataNodeAddress node)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(node.Host, node.DataPort);
        return new NetworkStream(socket, ownsSocket: true);
    }

    public static WriteBlockHeader Header(long blockId, long generationStamp, int bytesPerChecksum, params DataNodeAddress[] downstream)
    {
        var header = new WriteBlockHeader
        {
            Block = new BlockRef { BlockId = blockId, GenerationStamp = generationStamp },
            ClientName = "test-client",
            BytesPerChecksum = bytesPerChecksum,
            Stage = WriteStage.Create,
        };
        header.Downstream.AddRange(downstream);
        return header;
    }

    /// <summary>
    /// Writes <paramref name="data"/> to the pipeline first → downstream…, packets of
    /// <paramref name="packetBytes"/>. <paramref name="corruptPacket"/>: index of a packet whose data is
    /// altered after its checksums were computed. <paramref name="stopAfterPackets"/>: close the connection
    /// after that many data packets, without the last packet.
    /// </summary>
    public static async Task<WriteOutcome> WriteAsync(DataNodeAddress first, WriteBlockHeader header, byte[] data,
        int packetBytes = 256 * 1024, int corruptPacket = -1, int stopAfterPackets = -1, int startOffset = 0)
    {
        await using var stream = await ConnectAsync(first);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await TransferFraming.WriteOpAsync(stream, Opcode.WriteBlock, header, timeout.Token);
        var response = await TransferFraming.ReadMessageAsync(stream, OpResponse.Parser, Limits, timeout.Token);
        var acks = new List<PipelineAck>();
        if (response.Status != TransferStatus.Success)
        {
            return new WriteOutcome(response, acks, -1);
        }
        var bytesPerChecksum = header.BytesPerChecksum;
        // startOffset > 0: a pipeline recovery continues the block there (seqnos still start at 0).
        var packetCount = (data.Length - startOffset + packetBytes - 1) / packetBytes;
        long lastSeqNo = packetCount;
        var ackReader = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var ack = await TransferFraming.ReadMessageAsync(stream, PipelineAck.Parser, Limits, timeout.Token);
                    acks.Add(ack);
                    if (ack.Seqno == lastSeqNo || ack.Replies.Any(r => r != TransferStatus.Success))
                    {
                        return;
                    }
                }
            }
            catch (IOException)
            {
            }
            catch (OperationCanceledException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        });
        var packetBuffer = new byte[PacketHeader.Size + (ChunkChecksums.CountFor(packetBytes, bytesPerChecksum) * ChunkChecksums.ChecksumSize) + packetBytes];
        try
        {
            long seqNo = 0;
            for (var offset = startOffset; offset < data.Length; offset += packetBytes, seqNo++)
            {
                if (seqNo == stopAfterPackets)
                {
                    stream.Socket.Shutdown(SocketShutdown.Both);
                    stream.Close();
                    await ackReader;
                    return new WriteOutcome(response, acks, lastSeqNo);
                }
                var length = Math.Min(packetBytes, data.Length - offset);
                var checksumBytes = ChunkChecksums.CountFor(length, bytesPerChecksum) * ChunkChecksums.ChecksumSize;
                var packet = packetBuffer.AsMemory(0, PacketHeader.Size + checksumBytes + length);
                new PacketHeader(seqNo, offset, length, PacketFlags.None).Write(packet.Span);
                data.AsSpan(offset, length).CopyTo(packet.Span[(PacketHeader.Size + checksumBytes)..]);
                ChunkChecksums.Compute(data.AsSpan(offset, length), bytesPerChecksum, packet.Span.Slice(PacketHeader.Size, checksumBytes));
                if (seqNo == corruptPacket)
                {
                    packet.Span[^1] ^= 0x5A;
                }
                await stream.WriteAsync(packet, timeout.Token);
            }
            var last = new byte[PacketHeader.Size];
            new PacketHeader(seqNo, data.Length, 0, PacketFlags.LastPacketInBlock).Write(last);
            await stream.WriteAsync(last, timeout.Token);
        }
        catch (IOException)
        {
            // The DataNode may close the connection after an error ack; the acks tell what happened.
        }
        await ackReader;
        return new WriteOutcome(response, acks, lastSeqNo);
    }

    public static ReadBlockHeader ReadHeader(long blockId, long generationStamp, long offset = 0, long length = 0) => new()
    {
        Block = new BlockRef { BlockId = blockId, GenerationStamp = generationStamp },
        Offset = offset,
        Length = length,
        ClientName = "test-client",
    };

    /// <summary>Reads [offset, offset+length) (length 0: to the end), verifying every chunk and the packet sequence.</summary>
    public static async Task<ReadOutcome> ReadAsync(DataNodeAddress node, ReadBlockHeader header)
    {
        await using var stream = await ConnectAsync(node);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await TransferFraming.WriteOpAsync(stream, Opcode.ReadBlock, header, timeout.Token);
        var response = await TransferFraming.ReadMessageAsync(stream, OpResponse.Parser, Limits, timeout.Token);
        if (response.Status != TransferStatus.Success)
        {
            return new ReadOutcome(response, [], 0);
        }
        var bytesPerChecksum = response.BytesPerChecksum;
        Assert.InRange(bytesPerChecksum, Limits.MinBytesPerChecksum, Limits.MaxBytesPerChecksum);
        Assert.Equal(0, response.ChunkOffset % bytesPerChecksum);
        Assert.True(response.ChunkOffset <= header.Offset, "chunk offset after the requested offset");
        var end = header.Length == 0 ? response.ReplicaLength : header.Offset + header.Length;
        var received = new byte[Math.Max(0, response.ReplicaLength - response.ChunkOffset)];
        var receivedLength = 0;
        var body = new byte[Limits.MaxPacketDataBytes / 16];
        var expectedOffset = response.ChunkOffset;
        long expectedSeqNo = 0;
        var packets = 0;
        var headerBytes = new byte[PacketHeader.Size];
        while (true)
        {
            await TransferFraming.ReadExactlyOrThrowAsync(stream, headerBytes, "packet header", timeout.Token);
            Assert.True(PacketHeader.TryParse(headerBytes, Limits, out var packet));
            Assert.Equal(expectedSeqNo++, packet.SeqNo);
            Assert.Equal(expectedOffset, packet.OffsetInBlock);
            if (packet.IsLast)
            {
                break;
            }
            packets++;
            var checksumBytes = packet.ChecksumBytes(bytesPerChecksum);
            if (body.Length < checksumBytes + packet.DataLength)
            {
                body = new byte[checksumBytes + packet.DataLength];
            }
            await TransferFraming.ReadExactlyOrThrowAsync(stream, body.AsMemory(0, checksumBytes + packet.DataLength), "packet body", timeout.Token);
            var mismatch = ChunkChecksums.FindMismatch(body.AsSpan(checksumBytes, packet.DataLength), bytesPerChecksum, body.AsSpan(0, checksumBytes));
            if (mismatch >= 0)
            {
                Assert.Fail($"chunk {mismatch} of the packet at {packet.OffsetInBlock} does not match its checksum");
            }
            body.AsSpan(checksumBytes, packet.DataLength).CopyTo(received.AsSpan(receivedLength));
            receivedLength += packet.DataLength;
            expectedOffset += packet.DataLength;
        }
        Assert.True(expectedOffset >= end, $"the DataNode sent up to {expectedOffset}, the read asked up to {end}");
        var skip = (int)(header.Offset - response.ChunkOffset);
        return new ReadOutcome(response, received.AsSpan(skip, (int)(end - header.Offset)).ToArray(), packets);
    }

    /// <summary>True when the server closed the connection (EOF or reset) within the timeout.</summary>
    public static async Task<bool> ServerClosesAsync(NetworkStream stream, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer, cancel.Token);
                if (read == 0)
                {
                    return true;
                }
            }
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public static byte[] Preamble(byte version, byte opcode, uint headerLength, string magic = "PYDT")
    {
        var bytes = new byte[TransferFraming.OpPreambleSize];
        System.Text.Encoding.ASCII.GetBytes(magic).CopyTo(bytes, 0);
        bytes[4] = version;
        bytes[5] = opcode;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(6), headerLength);
        return bytes;
    }
}
