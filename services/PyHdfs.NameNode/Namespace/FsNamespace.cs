using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PyHdfs.NameNode.Blocks;
using PyHdfs.NameNode.DataNodes;
using PyHdfs.NameNode.Journal;
using PyHdfs.NameNode.Leases;
using PyHdfs.NameNode.Namespace.Permissions;
using PyHdfs.NameNode.Placement;
using PyHdfs.Protocol.Metadata;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.NameNode.Namespace;

/// <summary>
/// The namespace: inode tree, block map and leases, all guarded by one lock. Every mutation
/// validates, allocates ids, builds its <see cref="NamespaceOp"/>s and applies them through
/// <see cref="Apply"/> (the same code that replays a journal) under the lock, appending each to
/// the edit log in the same order; then, outside the lock, waits until the log made them durable.
/// No gRPC here: the services in Services/ translate.
/// </summary>
internal sealed partial class FsNamespace
{
    public const long RootId = 1;
    public const long FirstBlockId = 1L << 30;
    public const long FirstGenerationStamp = 1000;
    public const string DefaultOwner = "pyhdfs";
    public const string DefaultGroup = "supergroup";
    public const uint DefaultDirectoryPermission = 0x1ED; // 0755
    public const uint DefaultFilePermission = 0x1A4;      // 0644

    private readonly Dictionary<long, Inode> _inodes = [];
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), Ownership> _ownerships = [];
    private readonly NameNodeOptions _options;
    private readonly IEditLog _editLog;
    private readonly DataNodeManager _dataNodes;
    private readonly BlockPlacementPolicy _placement;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HashSet<(long BlockId, string NodeId)> _corruptReplicas = [];
    private readonly RetryCache _retryCache;
    private readonly UserGroups _userGroups;
    private static readonly object RenameDone = new();

    private long _lastInodeId = RootId;
    private long _lastBlockId = FirstBlockId - 1;
    private long _lastGenerationStamp = FirstGenerationStamp - 1;
    private long _fileCount;
    private long _directoryCount = 1;

    public FsNamespace(NameNodeOptions options, IEditLog editLog, DataNodeManager dataNodes, BlockPlacementPolicy placement,
        TimeProvider? time = null, ILogger? logger = null)
    {
        _options = options;
        _editLog = editLog;
        _dataNodes = dataNodes;
        _placement = placement;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _retryCache = new RetryCache(_time, TimeSpan.FromMilliseconds(options.RetryCacheTtlMs), options.RetryCacheEntries);
        _userGroups = new UserGroups(options, _time);
        Root = NewRoot(0);
        _inodes[RootId] = Root;
    }

    /// <summary>The one namespace lock; the block map and leases are guarded by it too.</summary>
    public Lock SyncRoot { get; } = new();

    public DirectoryInode Root { get; private set; }

    public BlockMap Blocks { get; } = new();

    public LeaseManager Leases { get; } = new();

    public DataNodeManager DataNodes => _dataNodes;

    public long LastInodeId { get { lock (SyncRoot) { return _lastInodeId; } } }

    public long LastBlockId { get { lock (SyncRoot) { return _lastBlockId; } } }

    public long LastGenerationStamp { get { lock (SyncRoot) { return _lastGenerationStamp; } } }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private DirectoryInode NewRoot(long mtime) =>
        new(RootId, "", mtime, OwnershipOf(_options.SuperUser, _options.SuperGroup), DefaultDirectoryPermission);

    /// <summary>Applies the op to memory and appends it to the edit log (under the lock); returns its txid.</summary>
    private long Log(NamespaceOp op, string clientRequestId = "")
    {
        op.TimestampMs = NowMs;
        op.ClientRequestId = clientRequestId ?? "";
        Apply(op);
        return _editLog.Append(op);
    }

    private async Task SyncAsync(long txid, CancellationToken cancellationToken)
    {
        if (txid <= 0)
        {
            return;
        }
        using var activity = Telemetry.Source.StartActivity("journal sync");
        activity?.SetTag("pyhdfs.txid", txid);
        await _editLog.SyncAsync(txid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Strings repeated across many inodes (owners, groups, lease holders) are stored once.</summary>
    private string Intern(string value)
    {
        if (_names.TryGetValue(value, out var existing))
        {
            return existing;
        }
        _names[value] = value;
        return value;
    }

    /// <summary>The interned owner/group pair (empty values take the defaults).</summary>
    private Ownership OwnershipOf(string? owner, string? group)
    {
        var key = (OwnerOf(owner), string.IsNullOrWhiteSpace(group) ? DefaultGroup : group);
        if (!_ownerships.TryGetValue(key, out var ownership))
        {
            _ownerships[key] = ownership = new Ownership(key.Item1, key.Item2);
        }
        return ownership;
    }

    private static string OwnerOf(string? user) => string.IsNullOrWhiteSpace(user) ? DefaultOwner : user;

    /// <summary>The path of an inode, rebuilt from its parents (for logs only; paths are stored nowhere).</summary>
    public string PathOf(Inode inode)
    {
        if (inode.Parent is null)
        {
            return inode.Id == RootId ? "/" : $"<detached inode {inode.Id}>";
        }
        var names = new Stack<string>();
        for (var node = inode; node.Parent is not null; node = node.Parent)
        {
            names.Push(node.Name);
        }
        return "/" + string.Join('/', names);
    }

    /// <summary>
    /// Walks a normalized path. Returns the inode or null when the last component (or a directory
    /// on the way) is missing; a file on the way is NOT_A_DIRECTORY. Files under construction are
    /// returned: callers that read treat them as absent (<see cref="IsHidden"/>).
    /// </summary>
    private Inode? Resolve(string path)
    {
        var parts = Protocol.Paths.DfsPath.Split(path);
        Inode node = Root;
        var prefixLength = 0;
        foreach (var part in parts)
        {
            if (node is not DirectoryInode directory)
            {
                throw FsErrors.NotADirectory(path, path[..prefixLength]);
            }
            var child = directory.Find(part);
            if (child is null)
            {
                return null;
            }
            prefixLength += part.Length + 1;
            node = child;
        }
        return node;
    }

    /// <summary>The existing directory at <paramref name="parentPath"/> for a new entry at <paramref name="path"/>.</summary>
    private DirectoryInode ResolveParent(string path, string parentPath)
    {
        var parent = Resolve(parentPath);
        return parent switch
        {
            null => throw FsErrors.ParentNotFound(path, parentPath),
            DirectoryInode directory => directory,
            _ => throw FsErrors.NotADirectory(path, parentPath),
        };
    }

    private static bool IsHidden(Inode? inode) => inode is FileInode { Hidden: true };

    /// <summary>The visible inode at a path (files under construction are invisible), or FILE_NOT_FOUND.</summary>
    private Inode ResolveVisible(string path)
    {
        var node = Resolve(path);
        return node is null || IsHidden(node) ? throw FsErrors.NotFound(path) : node;
    }
}
