using System.Buffers.Binary;
using Google.Protobuf;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.Hadoop;

namespace PyHdfs.NameNode.HadoopRpc;

/// <summary>
/// One client connection of the Hadoop IPC front door: the preamble, the connection context (call id -3,
/// which names the user and gets no reply), then calls answered one at a time in the order they arrive,
/// until the client closes the socket. A malformed frame ends the connection and nothing else.
/// </summary>
internal sealed class HadoopRpcConnection(Stream input, Stream output, HadoopRpcMethods methods, int maxFrameBytes, ILogger logger)
{
    private const int ConnectionContextCallId = -3;
    private string? _user;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var preamble = new byte[HadoopRpcFraming.PreambleLength];
        if (await input.ReadAtLeastAsync(preamble, preamble.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < preamble.Length)
        {
            return;
        }
        HadoopRpcFraming.TryCheckPreamble(preamble);
        var lengthBytes = new byte[4];
        while (await input.ReadAtLeastAsync(lengthBytes, 4, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) == 4)
        {
            HadoopRpcFraming.TryReadFrameLength(lengthBytes, maxFrameBytes, out var frameBytes);
            var frame = new byte[frameBytes];
            await input.ReadExactlyAsync(frame, cancellationToken).ConfigureAwait(false);
            await HandleFrameAsync(frame, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task HandleFrameAsync(byte[] frame, CancellationToken cancellationToken)
    {
        ReadOnlySpan<byte> rest = frame;
        var header = RpcRequestHeaderProto.Parser.ParseFrom(HadoopRpcFraming.ReadDelimited(ref rest));
        if (header.CallId == ConnectionContextCallId)
        {
            var context = IpcConnectionContextProto.Parser.ParseFrom(HadoopRpcFraming.ReadDelimited(ref rest));
            _user = context.UserInfo?.EffectiveUser;
            return;
        }
        var request = RequestHeaderProto.Parser.ParseFrom(HadoopRpcFraming.ReadDelimited(ref rest));
        var body = HadoopRpcFraming.ReadDelimited(ref rest).ToArray();
        var response = new RpcResponseHeaderProto
        {
            CallId = (uint)header.CallId,
            Status = RpcResponseHeaderProto.Types.RpcStatusProto.Success,
            ServerIpcVersionNum = HadoopRpcFraming.IpcVersion,
            ClientId = header.ClientId,
        };
        IMessage? result = null;
        try
        {
            result = await methods.InvokeAsync(request.MethodName, body, _user, cancellationToken).ConfigureAwait(false);
        }
        catch (DfsException e)
        {
            Fail(response, HadoopExceptionClasses.For(e.Kind), e.Message, RpcResponseHeaderProto.Types.RpcErrorCodeProto.ErrorApplication);
        }
        catch (PyHdfs.Protocol.WebHdfs.WebHdfsException e)
        {
            Fail(response, e.JavaClassName, e.Message, RpcResponseHeaderProto.Types.RpcErrorCodeProto.ErrorApplication);
        }
        catch (HadoopNoSuchMethodException e)
        {
            Fail(response, HadoopExceptionClasses.NoSuchMethod, e.Message, RpcResponseHeaderProto.Types.RpcErrorCodeProto.ErrorNoSuchMethod);
        }
        catch (InvalidProtocolBufferException e)
        {
            Fail(response, HadoopExceptionClasses.IO, $"{request.MethodName}: malformed request: {e.Message}", RpcResponseHeaderProto.Types.RpcErrorCodeProto.ErrorApplication);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Hadoop RPC {Method} failed", request.MethodName);
            Fail(response, HadoopExceptionClasses.IO, $"{request.MethodName}: {e.Message}", RpcResponseHeaderProto.Types.RpcErrorCodeProto.ErrorApplication);
        }
        await WriteResponseAsync(response, result, cancellationToken).ConfigureAwait(false);
    }

    private static void Fail(RpcResponseHeaderProto response, string exceptionClass, string message, RpcResponseHeaderProto.Types.RpcErrorCodeProto code)
    {
        response.Status = RpcResponseHeaderProto.Types.RpcStatusProto.Error;
        response.ExceptionClassName = exceptionClass;
        response.ErrorMsg = message;
        response.ErrorDetail = code;
    }

    private async Task WriteResponseAsync(RpcResponseHeaderProto header, IMessage? result, CancellationToken cancellationToken)
    {
        var headerSize = header.CalculateSize();
        var resultSize = result?.CalculateSize() ?? 0;
        var body = HadoopRpcFraming.VarintSize((uint)headerSize) + headerSize
            + (result is null ? 0 : HadoopRpcFraming.VarintSize((uint)resultSize) + resultSize);
        var buffer = new byte[4 + body];
        BinaryPrimitives.WriteInt32BigEndian(buffer, body);
        var at = 4 + HadoopRpcFraming.WriteVarint32(buffer.AsSpan(4), (uint)headerSize);
        header.WriteTo(buffer.AsSpan(at, headerSize));
        at += headerSize;
        if (result is not null)
        {
            at += HadoopRpcFraming.WriteVarint32(buffer.AsSpan(at), (uint)resultSize);
            result.WriteTo(buffer.AsSpan(at, resultSize));
        }
        await output.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
