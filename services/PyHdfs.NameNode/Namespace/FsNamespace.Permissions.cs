using System.Diagnostics.CodeAnalysis;
using PyHdfs.NameNode.Namespace.Permissions;
using PyHdfs.Protocol.Metadata;
using PyHdfs.Protocol.Paths;
using PyHdfs.Protocol.Permissions;

namespace PyHdfs.NameNode.Namespace;

/// <summary>
/// Who may do what: the caller of a client call, the permission check every operation makes,
/// and chmod / chown / chgrp. A null <see cref="Caller"/> is the NameNode itself (and tests that
/// exercise the namespace without users): it is checked for nothing. The gRPC service always
/// passes the caller it got from <see cref="Identify"/>.
/// </summary>
internal sealed partial class FsNamespace
{
    /// <summary>The caller named by a request's user header (groups resolved here; a missing user is "nobody").</summary>
    public Caller Identify(string? user) => _userGroups.Identify(user);

    /// <summary>See <see cref="PermissionChecker.Check"/>; call under the lock, with a normalized path, before any other validation.</summary>
    private void CheckPermission(Caller? caller, string path, FsAccess ancestor = FsAccess.None, FsAccess parent = FsAccess.None,
        FsAccess access = FsAccess.None, FsAccess subtree = FsAccess.None, bool ignoreEmptyDirectories = false, bool owner = false)
    {
        if (IsChecked(caller))
        {
            PermissionChecker.Check(caller, InodePath.Resolve(Root, path), ancestor, parent, access, subtree, ignoreEmptyDirectories, owner);
        }
    }

    private bool IsChecked([NotNullWhen(true)] Caller? caller) => caller is { IsSuperUser: false } && _options.PermissionsEnabled;

    /// <summary>Whether permissions are checked at all (NameNode:PermissionsEnabled).</summary>
    public bool PermissionsEnabled => _options.PermissionsEnabled;

    /// <summary>The owner of what the caller creates (the NameNode itself creates as the superuser).</summary>
    private string OwnerFor(Caller? caller) => caller?.User ?? _options.SuperUser;

    /// <summary>chmod: only the owner or the superuser. Mode bits beyond 01777 (<see cref="FsMode.MaxPermission"/>) are refused.</summary>
    public async Task SetPermissionAsync(string rawPath, uint permission, Caller? caller, CancellationToken cancellationToken)
    {
        var path = DfsPath.Normalize(rawPath);
        if (FsMode.Error(permission) is { } modeError)
        {
            throw FsErrors.Invalid(path, modeError);
        }
        long txid;
        lock (SyncRoot)
        {
            CheckPermission(caller, path, owner: true);
            var node = ResolveVisible(path);
            txid = node.Permission == permission
                ? _editLog.LastTxid
                : Log(new NamespaceOp { SetPermission = new SetPermissionOp { InodeId = node.Id, Permission = permission } });
        }
        await SyncAsync(txid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// chown / chgrp (an empty owner or group stays as it is). HDFS's rules: the caller must own
    /// the inode; only the superuser may give it to another user; the owner may change the group
    /// only to a group the owner belongs to.
    /// </summary>
    public async Task SetOwnerAsync(string rawPath, string? owner, string? group, Caller? caller, CancellationToken cancellationToken)
    {
        var path = DfsPath.Normalize(rawPath);
        owner = owner?.Trim() ?? "";
        group = group?.Trim() ?? "";
        if (owner.Length == 0 && group.Length == 0)
        {
            throw FsErrors.Invalid(path, "neither an owner nor a group was given");
        }
        if ((NameError(owner) ?? NameError(group)) is { } nameError)
        {
            throw FsErrors.Invalid(path, nameError);
        }
        long txid;
        lock (SyncRoot)
        {
            CheckPermission(caller, path, owner: true);
            var node = ResolveVisible(path);
            if (IsChecked(caller))
            {
                if (owner.Length > 0 && !string.Equals(owner, caller.User, StringComparison.Ordinal))
                {
                    throw FsErrors.OnlySuperUser(path, caller.User, $"give a file to another user ({node.Owner} -> {owner})");
                }
                if (group.Length > 0 && !caller.IsMemberOf(group))
                {
                    throw FsErrors.NotGroupMember(path, caller.User, group);
                }
            }
            var unchanged = (owner.Length == 0 || owner == node.Owner) && (group.Length == 0 || group == node.Group);
            txid = unchanged
                ? _editLog.LastTxid
                : Log(new NamespaceOp { SetOwner = new SetOwnerOp { InodeId = node.Id, Owner = owner, Group = group } });
        }
        await SyncAsync(txid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An empty owner or group stays as it is; any other must be a valid name.</summary>
    private static string? NameError(string name) => name.Length == 0 ? null : FsMode.ValidateName(name);
}
