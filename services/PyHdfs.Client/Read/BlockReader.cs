using System.Buffers;
using System.Net.Sockets;
using PyHdfs.Client.Internal;
using PyHdfs.Protocol;
using PyHdfs.Protocol.DataTransfer;
using PyHdfs.Protocol.Security;

namespace PyHdfs.Client.Read;

/// <summary>
/// Reads a range of one replica: op header, OpResponse, then packets starting at a chunk boundary at or
/// before the wanted offset, each chunk verified against its CRC32 before any byte is handed out.
/// </summary>
internal sealed class BlockReader : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly BlockRef _block;
    private readonly DataNodeAddress _node;
    private readonly int _bytesPerChecksum;
    private readonly TimeSpan _timeout;
    private readonly byte[] _headerBuffer = new byte[PacketHeader.Size];
    private byte[] _packet = [];
    private int _packetStart;
    private int _packetEnd;
    private long _nextPacketOffset;
    private long _expectedSeqNo;
    private long _skip;
    private long _remaining;
    private bool _ended;

    private BlockReader(Stream stream, BlockRef block, DataNodeAddress node, OpResponse response, long offset, long length, TimeSpan timeout)
    {
        _stream = stream;
        _block = block;
        _node = node;
        _bytesPerChecksum = response.BytesPerChecksum;
        _timeout = timeout;
        _nextPacketOffset = response.ChunkOffset;
        _skip = offset - response.ChunkOffset;
        _remaining = length;
    }

    public DataNodeAddress Node => _node;

    public static async Task<BlockReader> OpenAsync(
        BlockRef block, DataNodeAddress node, byte[] accessToken, long offsetInBlock, long length, string clientName,
        TimeSpan timeout, ClusterTrust? trust, CancellationToken cancellationToken)
    {
        var stream = await DataNodeConnection.ConnectAsync(node, timeout, trust, cancellationToken).ConfigureAwait(false);
        try
        {
            var (traceParent, traceState) = TraceContext.FromCurrent();
            var header = new ReadBlockHeader
            {
                Block = block,
                Offset = offsetInBlock,
                Length = length,
                ClientName = clientName,
                Traceparent = traceParent,
                Tracestate = traceState,
                AccessToken = Google.Protobuf.ByteString.CopyFrom(accessToken),
            };
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            await TransferFraming.WriteOpAsync(stream, Opcode.ReadBlock, header, deadline.Token).ConfigureAwait(false);
            var response = await TransferFraming.ReadMessageAsync(stream, OpResponse.Parser, TransferLimits.Default, deadline.Token).ConfigureAwait(false);
            if (response.Status == TransferStatus.ErrorAccessToken)
            {
                throw new BlockAccessRefusedException(response.Message);
            }
            if (response.Status != TransferStatus.Success)
            {
                throw new IOException($"{response.Status}" + (string.IsNullOrEmpty(response.Message) ? "" : $" ({response.Message})"));
            }
            if (!ChunkChecksums.IsValidChunkSize(response.BytesPerChecksum, TransferLimits.Default)
                || response.ChunkOffset > offsetInBlock || offsetInBlock - response.ChunkOffset >= response.BytesPerChecksum)
            {
                throw new IOException($"invalid read response (bytes per checksum {response.BytesPerChecksum}, chunk offset {response.ChunkOffset} for offset {offsetInBlock})");
            }
            if (response.ReplicaLength < offsetInBlock + length)
            {
                throw new IOException($"the replica holds {response.ReplicaLength} bytes, fewer than the {offsetInBlock + length} expected");
            }
            return new BlockReader(stream, block, node, response, offsetInBlock, length, timeout);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"no answer within {timeout.TotalSeconds:0} s");
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Copies verified bytes into <paramref name="destination"/>; 0 once the requested range is delivered.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        while (_packetStart == _packetEnd)
        {
            if (_remaining == 0 || _ended)
            {
                return 0;
            }
            await ReadPacketAsync(cancellationToken).ConfigureAwait(false);
        }
        var count = (int)Math.Min(Math.Min(destination.Length, _packetEnd - _packetStart), _remaining);
        _packet.AsSpan(_packetStart, count).CopyTo(destination.Span);
        _packetStart += count;
        _remaining -= count;
        return count;
    }

    private async Task ReadPacketAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        try
        {
            await TransferFraming.ReadExactlyOrThrowAsync(_stream, _headerBuffer, "packet header", deadline.Token).ConfigureAwait(false);
            PacketHeader.TryParse(_headerBuffer, TransferLimits.Default, out var header);
            if (header.SeqNo != _expectedSeqNo || header.OffsetInBlock != _nextPacketOffset)
            {
                throw new IOException($"packet {header.SeqNo} at offset {header.OffsetInBlock} out of order (expected {_expectedSeqNo} at {_nextPacketOffset})");
            }
            _expectedSeqNo++;
            if (header.IsLast)
            {
                _ended = true;
                if (_remaining > 0)
                {
                    throw new IOException($"the replica ended at offset {header.OffsetInBlock} with {_remaining} bytes still expected");
                }
                return;
            }
            var checksumBytes = header.ChecksumBytes(_bytesPerChecksum);
            var size = checksumBytes + header.DataLength;
            if (_packet.Length < size)
            {
                ReturnBuffer();
                _packet = ArrayPool<byte>.Shared.Rent(size);
            }
            await TransferFraming.ReadExactlyOrThrowAsync(_stream, _packet.AsMemory(0, size), "packet", deadline.Token).ConfigureAwait(false);
            var mismatch = ChunkChecksums.FindMismatch(_packet.AsSpan(checksumBytes, header.DataLength), _bytesPerChecksum, _packet.AsSpan(0, checksumBytes));
            if (mismatch >= 0)
            {
                throw new ChecksumMismatchException(
                    $"checksum mismatch at offset {header.OffsetInBlock + ((long)mismatch * _bytesPerChecksum)} of block blk_{_block.BlockId}");
            }
            _nextPacketOffset += header.DataLength;
            _packetStart = checksumBytes;
            _packetEnd = checksumBytes + header.DataLength;
            if (_skip > 0)
            {
                var skipped = (int)Math.Min(_skip, header.DataLength);
                _packetStart += skipped;
                _skip -= skipped;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"no data from {DataNodeConnection.Describe(_node)} for {_timeout.TotalSeconds:0} s");
        }
    }

    private void ReturnBuffer()
    {
        if (_packet.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_packet);
            _packet = [];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        ReturnBuffer();
    }
}
