using System.Diagnostics;
using System.Runtime.CompilerServices;
using PyHdfs.Client.Internal;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Protocol.Paths;
using PyHdfs.Protocol.Permissions;
using PyHdfs.Protocol.Security;

namespace PyHdfs.Client;

/// <summary>
/// The PyHDFS client: namespace operations go to the (active) NameNode over gRPC; file bytes go
/// directly to and from DataNodes over the block-transfer protocol. Thread-safe; one instance per
/// process is enough. Every failure is a <see cref="DfsIOException"/>.
/// </summary>
public sealed partial class DfsClient : IAsyncDisposable, IDisposable
{
    /// <summary>The name of <see cref="ActivitySource"/>, for listeners and OpenTelemetry's AddSource.</summary>
    public const string ActivitySourceName = "PyHdfs.Client";

    /// <summary>The ActivitySource of every client span ("put /path", "get /path", "write block blk_N", ...).</summary>
    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    private readonly ClusterTrust? _trust;
    private readonly NameNodeInvoker _invoker;
    private readonly LeaseRenewer _leaseRenewer;

    public DfsClient(DfsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _trust = LoadTrust(options);
        _invoker = new NameNodeInvoker(options, _trust);
        _leaseRenewer = new LeaseRenewer(RenewLeaseAsync, options.LeaseRenewalInterval);
    }

    /// <summary>
    /// The cluster CA of a TLS cluster, read once here for every NameNode and DataNode connection (so a bad CA
    /// fails the construction, not a DataNode); null without TLS, where an https:// address is a configuration error.
    /// </summary>
    private static ClusterTrust? LoadTrust(DfsClientOptions options)
    {
        if (options.TlsCaPath is null)
        {
            return options.NameNodes.FirstOrDefault(a => a.Scheme == Uri.UriSchemeHttps) is { } https
                ? throw new ArgumentException(
                    $"the NameNode address {https} uses TLS: give the cluster's CA certificate (DfsClientOptions.TlsCaPath, ${DfsClientOptions.TlsCaEnvironmentVariable})")
                : null;
        }
        try
        {
            return ClusterTrust.LoadCached(options.TlsCaPath);
        }
        catch (TlsConfigurationException e)
        {
            throw new DfsIOException(ErrorKind.Unspecified, null, $"TLS: {e.Message}", e);
        }
    }

    /// <summary>A client for comma-separated NameNode addresses ("host:port" or "http://host:port").</summary>
    public DfsClient(string nameNodes)
        : this(DfsClientOptions.FromAddresses(nameNodes))
    {
    }

    public DfsClientOptions Options { get; }

    public string ClientName => Options.ClientName;

    /// <summary>Creates a directory (and its missing parents when <paramref name="createParent"/>). Existing directories are fine.</summary>
    public Task MkdirsAsync(string path, bool createParent = true, CancellationToken cancellationToken = default)
    {
        var p = Normalize(path);
        return _invoker.CallAsync(p, (c, o) => c.MkdirsAsync(new MkdirsRequest { Path = p, CreateParent = createParent }, o), cancellationToken);
    }

    /// <summary>
    /// Creates a file and returns the stream to write it. The file is invisible until the stream is closed;
    /// disposing the stream after a failure (or <see cref="DfsOutputStream.Abort"/>) removes it.
    /// </summary>
    public async Task<DfsOutputStream> CreateAsync(string path, DfsCreateOptions? options = null, CancellationToken cancellationToken = default)
    {
        var p = Normalize(path);
        options ??= new DfsCreateOptions();
        var activity = ActivitySource.StartActivity($"put {p}", ActivityKind.Client);
        activity?.SetTag("pyhdfs.path", p);
        try
        {
            var request = new CreateRequest
            {
                Path = p,
                ClientName = ClientName,
                Overwrite = options.Overwrite,
                CreateParent = options.CreateParent,
                Replication = options.Replication,
                BlockSize = options.BlockSizeBytes,
                Permission = options.Permission,
                ClientRequestId = Guid.NewGuid().ToString("N"),
            };
            var response = await _invoker.CallAsync(p, (c, o) => c.CreateAsync(request, o), cancellationToken).ConfigureAwait(false);
            var status = response.Status ?? throw new DfsIOException(ErrorKind.Unspecified, p, $"{p}: the NameNode returned no file status");
            var blockSize = status.BlockSize > 0 ? status.BlockSize : options.BlockSizeBytes > 0 ? options.BlockSizeBytes : 128L << 20;
            activity?.SetTag("pyhdfs.block_size", blockSize);
            activity?.SetTag("pyhdfs.replication", status.Replication);
            _leaseRenewer.Acquire();
            var target = new NameNodeWriteTarget(_invoker, p, status.FileId, ClientName);
            return new DfsOutputStream(p, blockSize, status.Replication, target, Options, activity, _leaseRenewer.Release, _trust);
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            activity?.Dispose();
            throw;
        }
    }

    /// <summary>Opens a complete file for reading.</summary>
    public async Task<DfsInputStream> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        var p = Normalize(path);
        var activity = ActivitySource.StartActivity($"get {p}", ActivityKind.Client);
        activity?.SetTag("pyhdfs.path", p);
        try
        {
            var locator = new NameNodeBlockLocator(_invoker, p);
            var initial = await locator.GetBlockLocationsAsync(0, Options.LocationPrefetchBytes, cancellationToken).ConfigureAwait(false);
            if (initial.Status is null)
            {
                throw new DfsIOException(ErrorKind.FileNotFound, p, $"{p}: no such file or directory");
            }
            if (initial.Status.Type == FileType.Directory)
            {
                throw new DfsIOException(ErrorKind.IsADirectory, p, $"{p}: is a directory");
            }
            return new DfsInputStream(p, initial, locator, Options, activity, _trust);
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            activity?.Dispose();
            throw;
        }
    }

    public async Task<DfsFileStatus> GetFileStatusAsync(string path, CancellationToken cancellationToken = default)
    {
        var p = Normalize(path);
        var response = await _invoker.CallAsync(p, (c, o) => c.GetFileInfoAsync(new GetFileInfoRequest { Path = p }, o), cancellationToken).ConfigureAwait(false);
        return response.Status?.ToPublic() ?? throw new DfsIOException(ErrorKind.FileNotFound, p, $"{p}: no such file or directory");
    }

    /// <summary>The status of <paramref name="path"/>, or null when it does not exist.</summary>
    public async Task<DfsFileStatus?> TryGetFileStatusAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetFileStatusAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (DfsIOException e) when (e.Kind == ErrorKind.FileNotFound)
        {
            return null;
        }
    }

    /// <summary>The entries of a directory in name order, fetched page by page (for a file: that file).</summary>
    public async IAsyncEnumerable<DfsFileStatus> ListAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var p = Normalize(path);
        var startAfter = "";
        while (true)
        {
            var request = new GetListingRequest { Path = p, StartAfter = startAfter };
            var page = await _invoker.CallAsync(p, (c, o) => c.GetListingAsync(request, o), cancellationToken).ConfigureAwait(false);
            foreach (var entry in page.Entries)
            {
                yield return entry.ToPublic();
            }
            if (!page.HasMore || page.Entries.Count == 0)
            {
                yield break;
            }
            startAfter = page.Entries[^1].Name;
        }
    }

    /// <summary>Renames strictly: <paramref name="destination"/> must not exist (callers resolve "into a directory" themselves).</summary>
    public Task RenameAsync(string source, string destination, CancellationToken cancellationToken = default)
    {
        var s = Normalize(source);
        var d = Normalize(destination);
        var request = new RenameRequest { Source = s, Destination = d, ClientRequestId = Guid.NewGuid().ToString("N") };
        return _invoker.CallAsync(s, (c, o) => c.RenameAsync(request, o), cancellationToken);
    }

    public async Task<DfsDeleteResult> DeleteAsync(string path, bool recursive = false, CancellationToken cancellationToken = default)
    {
        var p = Normalize(path);
        var request = new DeleteRequest { Path = p, Recursive = recursive, ClientRequestId = Guid.NewGuid().ToString("N") };
        var r = await _invoker.CallAsync(p, (c, o) => c.DeleteAsync(request, o), cancellationToken).ConfigureAwait(false);
        return new DfsDeleteResult(r.FilesDeleted, r.DirectoriesDeleted, r.BlocksDeleted);
    }

    public async Task<DfsContentSummary> GetContentSummaryAsync(string path, CancellationToken cancellationToken = default)
    {
        var p = Normalize(path);
        var r = await _invoker.CallAsync(p, (c, o) => c.GetContentSummaryAsync(new GetContentSummaryRequest { Path = p }, o), cancellationToken).ConfigureAwait(false);
        return new DfsContentSummary(r.Length, r.FileCount, r.DirectoryCount, r.SpaceConsumed);
    }

    public async Task<DfsFsStats> GetFsStatsAsync(CancellationToken cancellationToken = default)
    {
        var r = await _invoker.CallAsync(null, (c, o) => c.GetFsStatsAsync(new GetFsStatsRequest(), o), cancellationToken).ConfigureAwait(false);
        return new DfsFsStats(r.CapacityBytes, r.UsedBytes, r.RemainingBytes, r.LiveDatanodes, r.DeadDatanodes, r.TotalBlocks,
            r.UnderReplicatedBlocks, r.MissingBlocks, r.TotalFiles, r.TotalDirectories, r.SafeMode);
    }

    public Task SetReplicationAsync(string path, int replication, CancellationToken cancellationToken = default)
    {
        var p = Normalize(path);
        if (replication < 1)
        {
            throw new DfsIOException(ErrorKind.InvalidArgument, p, $"{p}: replication must be at least 1 (got {replication})");
        }
        return _invoker.CallAsync(p, (c, o) => c.SetReplicationAsync(new SetReplicationRequest { Path = p, Replication = replication }, o), cancellationToken);
    }

    /// <summary>chmod: <paramref name="permission"/> is a mode within 0..01777 (octal); only the owner or the superuser may.</summary>
    public Task SetPermissionAsync(string path, uint permission, CancellationToken cancellationToken = default)
    {
        var p = Normalize(path);
        if (FsMode.Error(permission) is { } modeError)
        {
            throw new DfsIOException(ErrorKind.InvalidArgument, p, $"{p}: {modeError}");
        }
        return _invoker.CallAsync(p, (c, o) => c.SetPermissionAsync(new SetPermissionRequest { Path = p, Permission = permission }, o), cancellationToken);
    }

    /// <summary>chown / chgrp: a null or empty owner or group stays as it is.</summary>
    public Task SetOwnerAsync(string path, string? owner, string? group, CancellationToken cancellationToken = default)
    {
        var p = Normalize(path);
        if (string.IsNullOrEmpty(owner) && string.IsNullOrEmpty(group))
        {
            throw new DfsIOException(ErrorKind.InvalidArgument, p, $"{p}: give an owner, a group or both");
        }
        return _invoker.CallAsync(p,
            (c, o) => c.SetOwnerAsync(new SetOwnerRequest { Path = p, Owner = owner ?? "", Group = group ?? "" }, o), cancellationToken);
    }

    /// <summary>The blocks of a file overlapping [offset, offset+length) (length 0: to the end), with their replicas.</summary>
    public async Task<IReadOnlyList<DfsLocatedBlock>> GetBlockLocationsAsync(string path, long offset = 0, long length = 0, CancellationToken cancellationToken = default)
    {
        var p = Normalize(path);
        var r = await _invoker.CallAsync(p,
            (c, o) => c.GetBlockLocationsAsync(new GetBlockLocationsRequest { Path = p, Offset = offset, Length = length }, o),
            cancellationToken).ConfigureAwait(false);
        return r.Blocks.Select(b => b.ToPublic()).ToArray();
    }

    public async Task<IReadOnlyList<DfsDataNodeReport>> GetDataNodeReportAsync(CancellationToken cancellationToken = default)
    {
        var r = await _invoker.CallAsync(null, (c, o) => c.GetDataNodeReportAsync(new GetDataNodeReportRequest(), o), cancellationToken).ConfigureAwait(false);
        return r.Nodes.Select(n => n.ToPublic()).ToArray();
    }

    /// <summary>Enters or leaves manual safe mode (superuser only), or only asks (<see cref="SafeModeAction.SafeModeGet"/>); returns whether it is on and why.</summary>
    public async Task<(bool On, string Reason)> SetSafeModeAsync(SafeModeAction action, CancellationToken cancellationToken = default)
    {
        var r = await _invoker.CallAsync(null, (c, o) => c.SetSafeModeAsync(new SetSafeModeRequest { Action = action }, o), cancellationToken).ConfigureAwait(false);
        return (r.On, r.Reason);
    }

    /// <summary>The health of the blocks of every file under the path (fsck).</summary>
    public async Task<DfsFsckReport> FsckAsync(string path = "/", CancellationToken cancellationToken = default)
    {
        var p = Normalize(path);
        var r = await _invoker.CallAsync(p, (c, o) => c.FsckAsync(new FsckRequest { Path = p }, o), cancellationToken).ConfigureAwait(false);
        return DfsFsckReport.From(r);
    }

    private async Task RenewLeaseAsync(CancellationToken cancellationToken) =>
        await _invoker.CallAsync(null, (c, o) => c.RenewLeaseAsync(new RenewLeaseRequest { ClientName = ClientName }, o), cancellationToken).ConfigureAwait(false);

    private static string Normalize(string path)
    {
        try
        {
            return DfsPath.Normalize(path);
        }
        catch (DfsException e)
        {
            throw new DfsIOException(e.Kind, path, e.Message, e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _leaseRenewer.DisposeAsync().ConfigureAwait(false);
        _invoker.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
