using PyHdfs.NameNode.Namespace.Permissions;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.Metadata;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Protocol.Paths;
using PyHdfs.Protocol.Permissions;

namespace PyHdfs.NameNode.Namespace;

/// <summary>Directory and name mutations: mkdirs, create, rename, delete, set replication.</summary>
internal sealed partial class FsNamespace
{
    public async Task MkdirsAsync(string rawPath, bool createParent, uint permission, Caller? caller, CancellationToken cancellationToken)
    {
        var path = DfsPath.Normalize(rawPath);
        if (FsMode.Error(permission) is { } modeError)
        {
            throw FsErrors.Invalid(path, modeError);
        }
        long txid;
        lock (SyncRoot)
        {
            if (IsChecked(caller))
            {
                var inodes = InodePath.Resolve(Root, path);
                PermissionChecker.Check(caller, inodes, ancestor: inodes.Last is null ? FsAccess.Write : FsAccess.None);
            }
            txid = Mkdirs(path, createParent, permission, OwnerFor(caller));
        }
        await SyncAsync(txid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>New directories belong to <paramref name="owner"/> and to the group of their parent (HDFS's rule).</summary>
    private long Mkdirs(string path, bool createParent, uint permission, string owner)
    {
        var parts = DfsPath.Split(path);
        if (parts.Length == 0)
        {
            return createParent ? _editLog.LastTxid : throw FsErrors.AlreadyExists(path);
        }
        DirectoryInode current = Root;
        var currentPath = "/";
        var txid = _editLog.LastTxid;
        for (var i = 0; i < parts.Length; i++)
        {
            var childPath = DfsPath.Combine(currentPath, parts[i]);
            var last = i == parts.Length - 1;
            switch (current.Find(parts[i]))
            {
                case null:
                    if (!last && !createParent)
                    {
                        throw FsErrors.ParentNotFound(path, DfsPath.ParentOf(path));
                    }
                    var id = ++_lastInodeId;
                    var mode = permission == 0 ? DefaultDirectoryPermission : permission;
                    txid = Log(new NamespaceOp
                    {
                        Mkdir = new MkdirOp
                        {
                            InodeId = id,
                            ParentId = current.Id,
                            Name = parts[i],
                            Owner = owner,
                            Group = current.Group,
                            // Like HDFS, a parent made on the way stays writable and traversable by its owner (u+wx).
                            Permission = last ? mode : mode | 0x0C0,
                        },
                    });
                    current = (DirectoryInode)_inodes[id];
                    break;
                case DirectoryInode directory:
                    if (last && !createParent)
                    {
                        throw FsErrors.AlreadyExists(path);
                    }
                    current = directory;
                    break;
                default:
                    throw last
                        ? new DfsException(ErrorKind.AlreadyExists, $"{path}: already exists as a file")
                        : FsErrors.NotADirectory(path, childPath);
            }
            currentPath = childPath;
        }
        return txid;
    }

    public async Task<FileStatus> CreateAsync(CreateRequest request, Caller? caller, CancellationToken cancellationToken)
    {
        var path = DfsPath.Normalize(request.Path);
        if (string.IsNullOrWhiteSpace(request.ClientName))
        {
            throw FsErrors.Invalid(path, "create needs a client name (the lease holder)");
        }
        var replication = request.Replication == 0 ? _options.Replication : request.Replication;
        if (NameNodeOptions.ReplicationError(replication) is { } replicationError)
        {
            throw FsErrors.Invalid(path, replicationError);
        }
        var blockSize = request.BlockSize == 0 ? _options.BlockSizeBytes : request.BlockSize;
        if (NameNodeOptions.BlockSizeError(blockSize) is { } blockSizeError)
        {
            throw FsErrors.Invalid(path, blockSizeError);
        }
        if (FsMode.Error(request.Permission) is { } modeError)
        {
            throw FsErrors.Invalid(path, modeError);
        }

        long txid;
        FileStatus status;
        lock (SyncRoot)
        {
            if (path == "/")
            {
                throw FsErrors.IsADirectory(path);
            }
            // Checked before the retry cache, so that a request id alone never answers for someone else.
            if (IsChecked(caller))
            {
                var inodes = InodePath.Resolve(Root, path);
                PermissionChecker.Check(caller, inodes, ancestor: FsAccess.Write,
                    access: request.Overwrite && inodes.Last is FileInode ? FsAccess.Write : FsAccess.None);
            }
            if (_retryCache.TryGet("create", request.ClientRequestId, out status))
            {
                txid = _editLog.LastTxid;
                goto Done;
            }
            var parentPath = DfsPath.ParentOf(path);
            var name = DfsPath.NameOf(path);
            var parentNode = Resolve(parentPath);
            txid = _editLog.LastTxid;
            DirectoryInode parent;
            switch (parentNode)
            {
                case DirectoryInode directory:
                    parent = directory;
                    break;
                case null when request.CreateParent:
                    txid = Mkdirs(parentPath, createParent: true, 0, OwnerFor(caller));
                    parent = (DirectoryInode)Resolve(parentPath)!;
                    break;
                case null:
                    throw FsErrors.ParentNotFound(path, parentPath);
                default:
                    throw FsErrors.NotADirectory(path, parentPath);
            }

            switch (parent.Find(name))
            {
                case null:
                    break;
                case DirectoryInode:
                    throw FsErrors.IsADirectory(path);
                case FileInode { UnderConstruction: true } pending:
                    if (pending.LeaseHolder == request.ClientName && !pending.Reopened && pending.Blocks.Length == 0)
                    {
                        // The same writer retried a create whose answer it lost.
                        Leases.Renew(request.ClientName, NowMs);
                        status = StatusOf(pending, path);
                        goto Done;
                    }
                    throw FsErrors.LeaseConflict(path, pending.LeaseHolder!);
                case FileInode existing when request.Overwrite:
                    txid = Log(new NamespaceOp { Delete = new DeleteOp { InodeId = existing.Id } }, request.ClientRequestId);
                    break;
                default:
                    throw FsErrors.AlreadyExists(path);
            }

            var id = ++_lastInodeId;
            txid = Log(new NamespaceOp
            {
                CreateFile = new CreateFileOp
                {
                    InodeId = id,
                    ParentId = parent.Id,
                    Name = name,
                    Replication = replication,
                    BlockSize = blockSize,
                    ClientName = request.ClientName,
                    Owner = OwnerFor(caller),
                    Group = parent.Group,
                    Permission = request.Permission == 0 ? DefaultFilePermission : request.Permission,
                },
            }, request.ClientRequestId);
            status = StatusOf(_inodes[id], path);
            _retryCache.Add("create", request.ClientRequestId, status);
        Done:;
        }
        await SyncAsync(txid, cancellationToken).ConfigureAwait(false);
        return status;
    }

    public async Task RenameAsync(string rawSource, string rawDestination, string? clientRequestId, CancellationToken cancellationToken,
        Caller? caller = null)
    {
        var source = DfsPath.Normalize(rawSource);
        var destination = DfsPath.Normalize(rawDestination);
        long txid;
        lock (SyncRoot)
        {
            if (source == "/")
            {
                throw FsErrors.Invalid(source, "the root directory cannot be renamed");
            }
            CheckPermission(caller, source, parent: FsAccess.Write);
            CheckPermission(caller, destination, ancestor: FsAccess.Write);
            if (_retryCache.TryGet<object>("rename", clientRequestId, out _))
            {
                txid = _editLog.LastTxid;
                goto Done;
            }
            var node = Resolve(source) ?? throw FsErrors.NotFound(source);
            if (destination != source && DfsPath.IsSameOrDescendant(destination, source))
            {
                throw new DfsException(ErrorKind.MoveIntoSelf, $"{source}: cannot be moved into its own subtree ({destination})");
            }
            if (destination == "/" || Resolve(destination) is not null)
            {
                throw FsErrors.AlreadyExists(destination);
            }
            var parent = ResolveParent(destination, DfsPath.ParentOf(destination));
            txid = Log(new NamespaceOp
            {
                Rename = new RenameOp { InodeId = node.Id, NewParentId = parent.Id, NewName = DfsPath.NameOf(destination) },
            }, clientRequestId ?? "");
            _retryCache.Add("rename", clientRequestId, RenameDone);
        Done:;
        }
        await SyncAsync(txid, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DeleteResponse> DeleteAsync(string rawPath, bool recursive, string? clientRequestId, CancellationToken cancellationToken,
        Caller? caller = null)
    {
        var path = DfsPath.Normalize(rawPath);
        long txid;
        var result = new DeleteResponse();
        lock (SyncRoot)
        {
            if (path == "/")
            {
                throw FsErrors.Invalid(path, "the root directory cannot be deleted");
            }
            // As HDFS: every non-empty directory being removed must be fully accessible to the caller.
            CheckPermission(caller, path, parent: FsAccess.Write, subtree: FsAccess.All, ignoreEmptyDirectories: true);
            if (_retryCache.TryGet<DeleteResponse>("delete", clientRequestId, out var earlier))
            {
                txid = _editLog.LastTxid;
                result = earlier;
                goto Done;
            }
            // Files under construction are deletable by name: it is how a user frees a name a crashed writer holds.
            var node = Resolve(path) ?? throw FsErrors.NotFound(path);
            if (node is DirectoryInode { ChildCount: > 0 } && !recursive)
            {
                throw FsErrors.NotEmpty(path);
            }
            CountSubtree(node, result);
            txid = Log(new NamespaceOp { Delete = new DeleteOp { InodeId = node.Id } }, clientRequestId ?? "");
            _retryCache.Add("delete", clientRequestId, result);
        Done:;
        }
        await SyncAsync(txid, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private static void CountSubtree(Inode root, DeleteResponse counts)
    {
        var stack = new Stack<Inode>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case DirectoryInode directory:
                    counts.DirectoriesDeleted++;
                    for (var i = 0; i < directory.ChildCount; i++)
                    {
                        stack.Push(directory.ChildAt(i));
                    }
                    break;
                case FileInode file:
                    counts.FilesDeleted++;
                    counts.BlocksDeleted += file.Blocks.Length;
                    break;
            }
        }
    }

    public async Task SetReplicationAsync(string rawPath, int replication, CancellationToken cancellationToken, Caller? caller = null)
    {
        var path = DfsPath.Normalize(rawPath);
        if (NameNodeOptions.ReplicationError(replication) is { } error)
        {
            throw FsErrors.Invalid(path, error);
        }
        long txid;
        lock (SyncRoot)
        {
            CheckPermission(caller, path, access: FsAccess.Write);
            var node = ResolveVisible(path);
            if (node is not FileInode file)
            {
                throw new DfsException(ErrorKind.IsADirectory, $"{path}: is a directory (replication applies to files)");
            }
            txid = file.Replication == replication
                ? _editLog.LastTxid
                : Log(new NamespaceOp { SetReplication = new SetReplicationOp { InodeId = file.Id, Replication = replication } });
        }
        await SyncAsync(txid, cancellationToken).ConfigureAwait(false);
    }
}
