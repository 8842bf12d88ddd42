using System.Net;
using Grpc.Core;
using Grpc.Net.Client;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Protocol.Security;

namespace PyHdfs.Client.Internal;

/// <summary>
/// Calls the NameNode: one channel per configured address, the last one that answered first,
/// moving on to the next address on connection failures and StandbyNamenode answers (and, with
/// several addresses, on a call that timed out: a paused or partitioned NameNode). When a
/// whole round finds no active NameNode (or the active one is in start-up safe mode), it waits with
/// backoff and tries again until <see cref="DfsClientOptions.FailoverTimeout"/>: a failover or a
/// restart is invisible to the caller. A single address that refuses connections fails at once.
/// </summary>
internal sealed class NameNodeInvoker : IDisposable
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(500);

    private readonly DfsClientOptions _options;
    private readonly IReadOnlyList<Uri> _addresses;
    private readonly ClusterTrust? _trust;
    private readonly GrpcChannel?[] _channels;
    private readonly Lock _lock = new();
    private int _current;

    /// <param name="trust">The cluster CA when it runs TLS: every address is then called over https.</param>
    public NameNodeInvoker(DfsClientOptions options, ClusterTrust? trust)
    {
        _options = options;
        _trust = trust;
        _addresses = trust is null ? options.NameNodes : [.. options.NameNodes.Select(ClusterTrust.ToHttps)];
        _channels = new GrpcChannel?[options.NameNodes.Count];
    }

    public async Task<T> CallAsync<T>(
        string? path,
        Func<ClientProtocol.ClientProtocolClient, CallOptions, AsyncUnaryCall<T>> call,
        CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + _options.FailoverTimeout;
        var backoff = FirstBackoff;
        while (true)
        {
            var (result, error, retriable) = await TryEveryAddressAsync(path, call, cancellationToken).ConfigureAwait(false);
            if (error is null)
            {
                return result!;
            }
            if (!retriable || DateTime.UtcNow + backoff >= deadline)
            {
                throw error;
            }
            await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    /// <summary>One round over the addresses, starting at the last that answered.</summary>
    private async Task<(T? Result, DfsIOException? Error, bool Retriable)> TryEveryAddressAsync<T>(
        string? path,
        Func<ClientProtocol.ClientProtocolClient, CallOptions, AsyncUnaryCall<T>> call,
        CancellationToken cancellationToken)
    {
        var count = _channels.Length;
        var start = Volatile.Read(ref _current);
        var failures = new List<string>();
        DfsIOException? last = null;
        var anyServing = false;
        for (var attempt = 0; attempt < count; attempt++)
        {
            var index = (start + attempt) % count;
            var address = _addresses[index];
            var client = new ClientProtocol.ClientProtocolClient(ChannelFor(index));
            var headers = new Metadata { { RequestHeaders.User, _options.User } };
            var callOptions = new CallOptions(headers, DateTime.UtcNow + _options.RpcTimeout, cancellationToken);
            try
            {
                var result = await call(client, callOptions).ResponseAsync.ConfigureAwait(false);
                Volatile.Write(ref _current, index);
                return (result, null, false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (RpcException e) when (DfsErrors.KindOf(e) == ErrorKind.SafeMode)
            {
                // The active one, not writable yet: start-up safe mode ends by itself once blocks are reported
                // (worth waiting for); safe mode entered by an administrator is reported at once.
                Volatile.Write(ref _current, index);
                return (default, ErrorTranslation.FromRpc(e, path, address, _options.RpcTimeout), DfsErrors.IsRetriable(e));
            }
            catch (RpcException e) when (ErrorTranslation.ShouldFailOver(e) || (count > 1 && e.StatusCode == StatusCode.DeadlineExceeded))
            {
                last = ErrorTranslation.FromRpc(e, path, address, _options.RpcTimeout);
                var connection = ErrorTranslation.IsConnectionFailure(e);
                anyServing |= !connection;
                failures.Add(connection
                    ? $"{ErrorTranslation.Format(address)}: {ErrorTranslation.ConnectionCause(e)}"
                    : e.StatusCode == StatusCode.DeadlineExceeded
                        ? $"{ErrorTranslation.Format(address)}: no answer within {_options.RpcTimeout.TotalSeconds:0.#} s"
                        : $"{ErrorTranslation.Format(address)}: standby");
            }
            catch (RpcException e)
            {
                throw ErrorTranslation.FromRpc(e, path, address, _options.RpcTimeout);
            }
        }
        // Several addresses: one may be taking over. One address: only a NameNode that is up but not active yet is worth waiting for.
        var retriable = count > 1 || anyServing;
        if (count == 1 && last is not null)
        {
            return (default, last, retriable);
        }
        return (default, new DfsIOException(last?.Kind ?? ErrorKind.Unspecified, path,
            $"cannot reach an active NameNode ({string.Join("; ", failures)})", last), retriable);
    }

    private GrpcChannel ChannelFor(int index)
    {
        lock (_lock)
        {
            var address = _addresses[index];
            return _channels[index] ??= GrpcChannel.ForAddress(address, new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler
                {
                    EnableMultipleHttp2Connections = true,
                    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
                    ConnectTimeout = TimeSpan.FromSeconds(10),
                    KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                    KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
                    SslOptions = _trust?.ClientOptions(targetHost: null, peer: $"the NameNode at {address.Authority}") ?? new(),
                },
                HttpVersion = HttpVersion.Version20,
                HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
                MaxReceiveMessageSize = 64 * 1024 * 1024,
                DisposeHttpClient = true,
            });
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var channel in _channels)
            {
                channel?.Dispose();
            }
        }
    }
}
