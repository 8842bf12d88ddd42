using PyHdfs.Protocol.DataTransfer.Hadoop;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Options;
using PyHdfs.DataNode.Storage;
using PyHdfs.Protocol.DataTransfer;

namespace PyHdfs.DataNode.Transfer;

/// <summary>
/// The block-transfer TCP listener: loads the storage, binds DataNode:Host/DataPort, then serves one op per connection, at most
/// DataNode:MaxTransferConnections at a time (further clients wait in the accept backlog).
/// </summary>
internal sealed class TransferServer(
    ReplicaStore store,
    BlockWriteHandler writeHandler,
    BlockReadHandler readHandler,
    HadoopReadBlockHandler hadoopReadHandler,
    HadoopWriteBlockHandler hadoopWriteHandler,
    TransportSecurity transport,
    IOptions<DataNodeOptions> options,
    ILogger<TransferServer> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly TransferLimits _limits = TransferLimits.Default;
    private SemaphoreSlim? _slots;
    private Socket? _listener;
    private Task? _acceptLoop;
    private int _active;

    public int Port { get; private set; }
    public bool IsListening { get; private set; }
    public int ActiveConnections => Volatile.Read(ref _active);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var opts = options.Value;
        store.Load();
        var address = IPAddress.TryParse(opts.Host, out var ip) ? ip : IPAddress.Any;
        _listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(address, opts.DataPort));
        _listener.Listen(512);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _slots = new SemaphoreSlim(Math.Max(1, opts.MaxTransferConnections));
        IsListening = true;
        logger.LogInformation("Block transfer listening on {Host}:{Port} (data dir {DataDir}, {Tls})", opts.Host, Port, store.Layout.DataDir, transport);
        _acceptLoop = Task.Run(AcceptLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        IsListening = false;
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task AcceptLoopAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                await _slots!.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    socket = await _listener!.AcceptAsync(token).ConfigureAwait(false);
                }
                catch
                {
                    _slots.Release();
                    throw;
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                logger.LogWarning("Block transfer accept failed: {Reason}", e.Message);
                continue;
            }
            Interlocked.Increment(ref _active);
            _ = Task.Run(async () =>
            {
                try
                {
                    await HandleConnectionAsync(socket, token).ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _active);
                    _slots.Release();
                }
            }, CancellationToken.None);
        }
    }

    private async Task HandleConnectionAsync(Socket socket, CancellationToken stopping)
    {
        var peer = socket.RemoteEndPoint?.ToString() ?? "?";
        var opts = options.Value;
        using var deadline = new IdleDeadline(TimeSpan.FromMilliseconds(opts.TransferIdleTimeoutMs), stopping);
        try
        {
            TransferConnection.Configure(socket, opts.SocketBufferBytes);
            await using var stream = await AcceptStreamAsync(socket, peer, deadline).ConfigureAwait(false);
            if (stream is null)
            {
                return;
            }
            var lead = new byte[2];
            var leadLength = await stream.ReadAtLeastAsync(lead, lead.Length, throwOnEndOfStream: false, deadline.Arm()).ConfigureAwait(false);
            if (HadoopOpHeader.LooksLikeHadoop(lead.AsSpan(0, leadLength)))
            {
                await ServeHadoopOpAsync(stream, peer, deadline).ConfigureAwait(false);
                return;
            }
            var op = await TransferFraming.ReadOpAsync(stream, lead.AsMemory(0, leadLength), _limits, deadline.Arm()).ConfigureAwait(false);
            if (op is not { } request)
            {
                return;
            }
            switch (request.Opcode)
            {
                case Opcode.WriteBlock:
                    await writeHandler.HandleAsync(stream, request.Header, peer, deadline).ConfigureAwait(false);
                    break;
                case Opcode.ReadBlock:
                    await readHandler.HandleAsync(stream, request.Header, peer, deadline).ConfigureAwait(false);
                    break;
            }
        }
        catch (DataTransferProtocolException e)
        {
            logger.LogWarning("Block transfer from {Peer}: dropping the connection: {Reason}", peer, e.Message);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            logger.LogWarning("Block transfer from {Peer}: dropping the connection after {Seconds:0.#} s without progress", peer, deadline.Timeout.TotalSeconds);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            logger.LogInformation("Block transfer from {Peer}: connection lost: {Reason}", peer, e.Message);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Block transfer from {Peer}: unexpected failure", peer);
        }
        finally
        {
            socket.Dispose();
        }
    }

    /// <summary>
    /// Hadoop's DataTransferProtocol on the same port: READ_BLOCK, WRITE_BLOCK and BLOCK_CHECKSUM. Hadoop's other
    /// ops (replace, copy, transfer, short-circuit) are refused by <see cref="HadoopOpHeader.Parse"/> and dropped.
    /// </summary>
    private async Task ServeHadoopOpAsync(Stream stream, string peer, IdleDeadline deadline)
    {
        var opByte = new byte[1];
        await stream.ReadExactlyAsync(opByte, deadline.Arm()).ConfigureAwait(false);
        await (HadoopOpHeader.Parse([0x00, (byte)HadoopOpHeader.Version, opByte[0]]) switch
        {
            HadoopOp.ReadBlock => hadoopReadHandler.HandleAsync(stream, peer, deadline),
            HadoopOp.WriteBlock => hadoopWriteHandler.HandleAsync(stream, peer, deadline),
            _ => hadoopReadHandler.ChecksumAsync(stream, peer, deadline),
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// The connection's stream: plain TCP, or the server end of TLS. The handshake runs under the idle
    /// deadline, so a peer that stalls in it cannot hold a connection slot; a peer that does not speak
    /// TLS (or fails it) is logged and dropped (null).
    /// </summary>
    private async Task<Stream?> AcceptStreamAsync(Socket socket, string peer, IdleDeadline deadline)
    {
        var plain = new NetworkStream(socket, ownsSocket: true);
        if (!transport.IsEnabled)
        {
            return plain;
        }
        var ssl = new SslStream(plain, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsServerAsync(transport.ServerOptions(), deadline.Arm()).ConfigureAwait(false);
            return ssl;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            logger.LogWarning("Block transfer from {Peer}: dropping the connection: TLS handshake failed (a client without TLS?): {Reason}",
                peer, e.InnerException?.Message ?? e.Message);
            await ssl.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _listener?.Dispose();
    }
}
