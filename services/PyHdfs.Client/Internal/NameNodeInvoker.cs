using System.Net;
using Grpc.Core;
using Grpc.Net.Client;
using PyHdfs.Protocol;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.Client.Internal;

/// <summary>
/// Calls the NameNode: one channel per configured address, the last one that answered first,
/// moving on to the next address on connection failures and StandbyNamenode answers.
/// </summary>
internal sealed class NameNodeInvoker : IDisposable
{
    private readonly DfsClientOptions _options;
    private readonly GrpcChannel?[] _channels;
    private readonly Lock _lock = new();
    private int _current;

    public NameNodeInvoker(DfsClientOptions options)
    {
        _options = options;
        _channels = new GrpcChannel?[options.NameNodes.Count];
    }

    public async Task<T> CallAsync<T>(
        string? path,
        Func<ClientProtocol.ClientProtocolClient, CallOptions, AsyncUnaryCall<T>> call,
        CancellationToken cancellationToken)
    {
        var count = _channels.Length;
        var start = Volatile.Read(ref _current);
        var failures = new List<string>();
        DfsIOException? last = null;
        for (var attempt = 0; attempt < count; attempt++)
        {
            var index = (start + attempt) % count;
            var address = _options.NameNodes[index];
            var client = new ClientProtocol.ClientProtocolClient(ChannelFor(index));
            var headers = new Metadata { { "pyhdfs-user", _options.User } };
            var callOptions = new CallOptions(headers, DateTime.UtcNow + _options.RpcTimeout, cancellationToken);
            try
            {
                var result = await call(client, callOptions).ResponseAsync.ConfigureAwait(false);
                Volatile.Write(ref _current, index);
                return result;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (RpcException e) when (ErrorTranslation.ShouldFailOver(e))
            {
                last = ErrorTranslation.FromRpc(e, path, address, _options.RpcTimeout);
                failures.Add(ErrorTranslation.IsConnectionFailure(e)
                    ? $"{ErrorTranslation.Format(address)}: {ErrorTranslation.ConnectionCause(e)}"
                    : $"{ErrorTranslation.Format(address)}: standby");
            }
            catch (RpcException e)
            {
                throw ErrorTranslation.FromRpc(e, path, address, _options.RpcTimeout);
            }
        }
        if (count == 1 && last is not null)
        {
            throw last;
        }
        throw new DfsIOException(last?.Kind ?? ErrorKind.Unspecified, path,
            $"cannot reach an active NameNode ({string.Join("; ", failures)})", last);
    }

    private GrpcChannel ChannelFor(int index)
    {
        lock (_lock)
        {
            return _channels[index] ??= GrpcChannel.ForAddress(_options.NameNodes[index], new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler
                {
                    EnableMultipleHttp2Connections = true,
                    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
                    ConnectTimeout = TimeSpan.FromSeconds(10),
                    KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                    KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
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
