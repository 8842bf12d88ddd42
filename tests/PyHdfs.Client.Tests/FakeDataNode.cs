using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using PyHdfs.Protocol;
using PyHdfs.Protocol.DataTransfer;

namespace PyHdfs.Client.Tests;

/// <summary>
/// A minimal DataNode speaking the block-transfer protocol over real sockets: it checks every packet
/// (sequence, chunk alignment, checksums), stores the block for itself and its downstream ids in a
/// shared <see cref="FakeStorage"/>, acks each packet, and serves reads.
/// </summary>
internal sealed class FakeDataNode : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly FakeStorage _storage;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private int _inFlight;

    public FakeDataNode(string id, FakeStorage storage)
    {
        Id = id;
        _storage = storage;
        _listener.Start();
        _accept = Task.Run(AcceptLoopAsync);
    }

    public string Id { get; }
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public DataNodeAddress Address => new() { Id = Id, Host = "127.0.0.1", DataPort = Port };

    /// <summary>Delay before each ack (to fill the client's window).</summary>
    public TimeSpan AckDelay { get; set; }

    /// <summary>Answer writes whose pipeline includes this node id with ERROR_DOWNSTREAM naming it.</summary>
    public string? FailDownstream { get; set; }

    /// <summary>Flip one byte of the data served for reads (the checksums stay right for the original).</summary>
    public bool CorruptReads { get; set; }

    /// <summary>Highest number of packets received and not yet acknowledged at the same time.</summary>
    public int MaxInFlight { get; private set; }

    public int BytesPerChecksumSeen { get; private set; }

    /// <summary>Verify and ack packets without keeping their data (and without allocating per packet).</summary>
    public bool DiscardData { get; set; }

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    private long _bytesReceived;

    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>Fault injection: given a write's header and a packet's seqno, the index of the reply to fail (then the node hangs up).</summary>
    public Func<WriteBlockHeader, long, int?>? FailAck { get; set; }

    /// <summary>Every write header received, in order.</summary>
    public ConcurrentQueue<WriteBlockHeader> Headers { get; } = new();

    /// <summary>When set and it returns a reason, reads are refused with ERROR_ACCESS_TOKEN and that reason.</summary>
    public Func<ReadBlockHeader, string?>? RefuseRead { get; set; }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            var op = await TransferFraming.ReadOpAsync(stream, TransferLimits.Default, _stop.Token);
            if (op is null)
            {
                return;
            }
            if (op.Value.Opcode == Opcode.WriteBlock)
            {
                await HandleWriteAsync(stream, WriteBlockHeader.Parser.ParseFrom(op.Value.Header));
            }
            else
            {
                await HandleReadAsync(stream, ReadBlockHeader.Parser.ParseFrom(op.Value.Header));
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
            // Clients close connections early (e.g. after reading their range).
        }
        catch (Exception e)
        {
            Errors.Enqueue(e.ToString());
        }
    }

    private async Task HandleWriteAsync(NetworkStream stream, WriteBlockHeader header)
    {
        BytesPerChecksumSeen = header.BytesPerChecksum;
        Headers.Enqueue(header.Clone());
        if (FailDownstream is not null && header.Downstream.Any(d => d.Id == FailDownstream))
        {
            await TransferFraming.WriteMessageAsync(stream, new OpResponse { Status = TransferStatus.ErrorDownstream, FirstBadLink = FailDownstream, Message = "cannot connect" }, _stop.Token);
            return;
        }
        await TransferFraming.WriteMessageAsync(stream, new OpResponse { Status = TransferStatus.Success }, _stop.Token);
        var replicas = 1 + header.Downstream.Count;
        var data = new MemoryStream();
        long received = 0;
        long expectedSeq = -1;
        if (header.Stage == WriteStage.Recovery)
        {
            // Like a DataNode, wait for the broken write of the block to let go of it.
            for (var i = 0; i < 500 && _storage.Writing.ContainsKey(header.Block.BlockId); i++)
            {
                await Task.Delay(10, _stop.Token);
            }
            Check(_storage.Partial.TryGetValue(header.Block.BlockId, out var kept) && kept.Length >= header.Block.NumBytes, "recovery of a replica that is missing or too short");
            data.Write(kept!, 0, (int)header.Block.NumBytes);
            received = header.Block.NumBytes;
        }
        var acks = System.Threading.Channels.Channel.CreateUnbounded<long>();
        var ackWriter = Task.Run(async () =>
        {
            await foreach (var seqNo in acks.Reader.ReadAllAsync(_stop.Token))
            {
                if (AckDelay > TimeSpan.Zero)
                {
                    await Task.Delay(AckDelay, _stop.Token);
                }
                var ack = new PipelineAck { Seqno = seqNo };
                ack.Replies.AddRange(Enumerable.Repeat(TransferStatus.Success, replicas));
                Interlocked.Decrement(ref _inFlight);
                if (FailAck?.Invoke(header, seqNo) is { } bad)
                {
                    ack.Replies[bad] = TransferStatus.Error;
                    await TransferFraming.WriteMessageAsync(stream, ack, _stop.Token);
                    stream.Socket.Shutdown(SocketShutdown.Both);
                    return;
                }
                await TransferFraming.WriteMessageAsync(stream, ack, _stop.Token);
            }
        });
        var headerBytes = new byte[PacketHeader.Size];
        var body = new byte[(256 * 1024) + 1024];
        _storage.Writing[header.Block.BlockId] = Id;
        try
        {
            await ReceiveAsync();
        }
        finally
        {
            _storage.Partial[header.Block.BlockId] = data.ToArray();
            _storage.Writing.TryRemove(header.Block.BlockId, out _);
        }
        if (!DiscardData)
        {
            var block = data.ToArray();
            _storage.Put(Id, header.Block.BlockId, block);
            foreach (var downstream in header.Downstream)
            {
                _storage.Put(downstream.Id, header.Block.BlockId, block);
            }
        }
        acks.Writer.Complete();
        await ackWriter;

        async Task ReceiveAsync()
        {
        while (true)
        {
            await TransferFraming.ReadExactlyOrThrowAsync(stream, headerBytes, "packet header", _stop.Token);
            PacketHeader.TryParse(headerBytes, TransferLimits.Default, out var packet);
            Check(expectedSeq < 0 || packet.SeqNo == expectedSeq, $"seqno {packet.SeqNo}");
            expectedSeq = packet.SeqNo + 1;
            Check(packet.OffsetInBlock == received, $"offset {packet.OffsetInBlock} != {received}");
            Check(packet.IsLast || packet.OffsetInBlock % header.BytesPerChecksum == 0, "packet not chunk aligned");
            Check(packet.DataLength <= 256 * 1024, "packet too large");
            var checksumBytes = packet.ChecksumBytes(header.BytesPerChecksum);
            await TransferFraming.ReadExactlyOrThrowAsync(stream, body.AsMemory(0, checksumBytes + packet.DataLength), "packet", _stop.Token);
            Check(ChunkChecksums.FindMismatch(body.AsSpan(checksumBytes, packet.DataLength), header.BytesPerChecksum, body.AsSpan(0, checksumBytes)) < 0, "checksum mismatch");
            received += packet.DataLength;
            Interlocked.Add(ref _bytesReceived, packet.DataLength);
            if (!DiscardData)
            {
                data.Write(body, checksumBytes, packet.DataLength);
            }
            MaxInFlight = Math.Max(MaxInFlight, Interlocked.Increment(ref _inFlight));
            await acks.Writer.WriteAsync(packet.SeqNo, _stop.Token);
            if (packet.IsLast)
            {
                break;
            }
        }
        }
    }

    private async Task HandleReadAsync(NetworkStream stream, ReadBlockHeader header)
    {
        if (RefuseRead?.Invoke(header) is { } refusal)
        {
            await TransferFraming.WriteMessageAsync(stream, new OpResponse { Status = TransferStatus.ErrorAccessToken, Message = refusal }, _stop.Token);
            return;
        }
        if (!_storage.TryGet(Id, header.Block.BlockId, out var block))
        {
            await TransferFraming.WriteMessageAsync(stream, new OpResponse { Status = TransferStatus.ErrorNotFound, Message = "no replica" }, _stop.Token);
            return;
        }
        const int bytesPerChecksum = 4096;
        var chunkOffset = header.Offset / bytesPerChecksum * bytesPerChecksum;
        var end = header.Length == 0 ? block.Length : header.Offset + header.Length;
        await TransferFraming.WriteMessageAsync(stream, new OpResponse
        {
            Status = TransferStatus.Success,
            BytesPerChecksum = bytesPerChecksum,
            ChunkOffset = chunkOffset,
            ReplicaLength = block.Length,
        }, _stop.Token);
        long seq = 0;
        var offset = chunkOffset;
        while (offset < end)
        {
            var length = (int)Math.Min(64 * 1024, block.Length - offset);
            var data = block.AsSpan((int)offset, length).ToArray();
            var checksums = new byte[ChunkChecksums.CountFor(length, bytesPerChecksum) * 4];
            ChunkChecksums.Compute(data, bytesPerChecksum, checksums);
            if (CorruptReads)
            {
                data[0] ^= 0xFF;
            }
            await WritePacketAsync(stream, new PacketHeader(seq++, offset, length, PacketFlags.None), checksums, data);
            offset += length;
        }
        await WritePacketAsync(stream, new PacketHeader(seq, offset, 0, PacketFlags.LastPacketInBlock), [], []);
    }

    private async Task WritePacketAsync(NetworkStream stream, PacketHeader header, byte[] checksums, byte[] data)
    {
        var buffer = new byte[PacketHeader.Size + checksums.Length + data.Length];
        header.Write(buffer);
        checksums.CopyTo(buffer, PacketHeader.Size);
        data.CopyTo(buffer, PacketHeader.Size + checksums.Length);
        await stream.WriteAsync(buffer, _stop.Token);
    }

    private void Check(bool condition, string what)
    {
        if (!condition)
        {
            Errors.Enqueue(what);
            throw new InvalidOperationException(what);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accept;
        _stop.Dispose();
    }
}

/// <summary>The replicas of every fake DataNode, by node id and block id.</summary>
internal sealed class FakeStorage
{
    private readonly ConcurrentDictionary<(string, long), byte[]> _replicas = new();

    public void Put(string node, long blockId, byte[] data) => _replicas[(node, blockId)] = data;

    public bool TryGet(string node, long blockId, out byte[] data) => _replicas.TryGetValue((node, blockId), out data!);

    public int Count => _replicas.Count;

    /// <summary>What each block's pipeline held when its last write ended, for stage RECOVERY.</summary>
    public ConcurrentDictionary<long, byte[]> Partial { get; } = new();

    /// <summary>Blocks with a write in progress (and the node receiving it).</summary>
    public ConcurrentDictionary<long, string> Writing { get; } = new();
}
