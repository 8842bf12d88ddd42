using System.Diagnostics;
using Grpc.Core;
using PyHdfs.Metadata.Storage;
using PyHdfs.Protocol.Metadata;

namespace PyHdfs.Metadata;

/// <summary>The gRPC face of <see cref="NamespaceStore"/>.</summary>
public sealed partial class MetadataService(NamespaceStore store, IHostApplicationLifetime lifetime, ILogger<MetadataService> logger) : PyHdfs.Protocol.Metadata.Metadata.MetadataBase
{
    public override async Task<NewEpochResponse> NewEpoch(NewEpochRequest request, ServerCallContext context)
    {
        var response = await store.NewEpochAsync(request.Epoch, request.WriterId, context.CancellationToken).ConfigureAwait(false);
        LogNewEpoch(logger, request.Epoch, request.WriterId, response.LastTxid);
        return response;
    }

    public override async Task<AppendResponse> Append(AppendRequest request, ServerCallContext context) =>
        new() { LastTxid = await store.AppendAsync(request.Epoch, request.Entries, context.CancellationToken).ConfigureAwait(false) };

    public override async Task AppendStream(IAsyncStreamReader<AppendRequest> requestStream, IServerStreamWriter<AppendResponse> responseStream,
        ServerCallContext context)
    {
        // One request at a time, in arrival order: the writer pipelines batches, the journal stays contiguous.
        // A refusal throws out of the loop and ends the stream with its status; nothing after it is read.
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
        {
            ActivityContext.TryParse(request.Traceparent, null, out var parent);
            var lastTxid = await store.AppendAsync(request.Epoch, request.Entries, parent, context.CancellationToken).ConfigureAwait(false);
            await responseStream.WriteAsync(new AppendResponse { LastTxid = lastTxid }, context.CancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task LoadNamespace(LoadNamespaceRequest request, IServerStreamWriter<NamespaceImageChunk> responseStream, ServerCallContext context)
    {
        await foreach (var chunk in store.LoadNamespaceAsync(cancellationToken: context.CancellationToken).ConfigureAwait(false))
        {
            await responseStream.WriteAsync(chunk, context.CancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task ReadJournal(ReadJournalRequest request, IServerStreamWriter<JournalEntry> responseStream, ServerCallContext context)
    {
        // A follower's stream never ends by itself: end it when the service stops, not after the shutdown timeout.
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            await foreach (var entry in store.ReadJournalAsync(request.FromTxid, request.Follow, done.Token).ConfigureAwait(false))
            {
                await responseStream.WriteAsync(entry, done.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
            // The follower went away (or the service is stopping).
        }
    }

    public override Task<MetadataStatus> GetStatus(GetStatusRequest request, ServerCallContext context) =>
        Task.FromResult(store.GetStatus());

    [LoggerMessage(Level = LogLevel.Information, Message = "metadata: promised epoch {Epoch} to {WriterId} (last txid {LastTxid})")]
    private static partial void LogNewEpoch(ILogger logger, long epoch, string writerId, long lastTxid);
}
