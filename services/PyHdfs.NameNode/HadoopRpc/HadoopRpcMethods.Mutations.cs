using Google.Protobuf;
using PyHdfs.NameNode.Namespace;
using PyHdfs.NameNode.Namespace.Permissions;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.Hadoop;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Protocol.WebHdfs;

namespace PyHdfs.NameNode.HadoopRpc;

/// <summary>ClientProtocol's namespace changes, each as the gRPC service does it: active NameNode, not in safe mode, then FsNamespace.</summary>
internal sealed partial class HadoopRpcMethods
{
    /// <summary>Hadoop's CreateFlag bits (CREATE = 1, APPEND = 4 are implied by the call).</summary>
    private const uint CreateFlagOverwrite = 0x02;

    /// <summary>Only the permission bits: the Go client sends os.ModeDir | 0755 (bit 31 set) to mkdirs.</summary>
    private const uint PermissionBits = 0xFFF;

    private Dictionary<string, Method> Mutations() => new(StringComparer.Ordinal)
    {
        ["mkdirs"] = async (request, caller, cancellationToken) =>
        {
            var mkdirs = MkdirsRequestProto.Parser.ParseFrom(request);
            EnsureWritable(mkdirs.Src);
            await fs.MkdirsAsync(mkdirs.Src, mkdirs.CreateParent, mkdirs.Masked.Perm & PermissionBits, caller, cancellationToken).ConfigureAwait(false);
            return new MkdirsResponseProto { Result = true };
        },
        ["delete"] = async (request, caller, cancellationToken) =>
        {
            var delete = DeleteRequestProto.Parser.ParseFrom(request);
            EnsureWritable(delete.Src);
            return new DeleteResponseProto { Result = await DeleteIfPresentAsync(delete.Src, delete.Recursive, caller, cancellationToken).ConfigureAwait(false) };
        },
        ["rename2"] = async (request, caller, cancellationToken) =>
        {
            var rename = Rename2RequestProto.Parser.ParseFrom(request);
            EnsureWritable(rename.Src);
            if (rename.OverwriteDest)
            {
                await RemoveOverwrittenDestinationAsync(rename.Src, rename.Dst, caller, cancellationToken).ConfigureAwait(false);
            }
            await fs.RenameAsync(rename.Src, rename.Dst, NewRequestId(), cancellationToken, caller).ConfigureAwait(false);
            return new Rename2ResponseProto();
        },
        ["rename"] = async (request, caller, cancellationToken) =>
        {
            var rename = RenameRequestProto.Parser.ParseFrom(request);
            EnsureWritable(rename.Src);
            // The old rename answers false, not an error, when the source is missing or the destination is taken.
            try
            {
                await fs.RenameAsync(rename.Src, rename.Dst, NewRequestId(), cancellationToken, caller).ConfigureAwait(false);
                return new RenameResponseProto { Result = true };
            }
            catch (DfsException e) when (e.Kind is ErrorKind.FileNotFound or ErrorKind.ParentNotFound or ErrorKind.AlreadyExists
                                             or ErrorKind.MoveIntoSelf or ErrorKind.NotADirectory)
            {
                return new RenameResponseProto { Result = false };
            }
        },
        ["setPermission"] = async (request, caller, cancellationToken) =>
        {
            var set = SetPermissionRequestProto.Parser.ParseFrom(request);
            EnsureWritable(set.Src);
            await fs.SetPermissionAsync(set.Src, set.Permission.Perm & PermissionBits, caller, cancellationToken).ConfigureAwait(false);
            return new SetPermissionResponseProto();
        },
        ["setOwner"] = async (request, caller, cancellationToken) =>
        {
            var set = SetOwnerRequestProto.Parser.ParseFrom(request);
            EnsureWritable(set.Src);
            var owner = string.IsNullOrEmpty(set.Username) ? null : set.Username;
            var group = string.IsNullOrEmpty(set.Groupname) ? null : set.Groupname;
            if (owner is null && group is null)
            {
                throw FsErrors.Invalid(set.Src, "setOwner needs a user name or a group name");
            }
            await fs.SetOwnerAsync(set.Src, owner, group, caller, cancellationToken).ConfigureAwait(false);
            return new SetOwnerResponseProto();
        },
        ["setTimes"] = async (request, caller, cancellationToken) =>
        {
            var set = SetTimesRequestProto.Parser.ParseFrom(request);
            EnsureWritable(set.Src);
            // -1 ("leave unchanged") arrives as 2^64-1 in these uint64 fields.
            await fs.SetTimesAsync(set.Src, unchecked((long)set.Mtime), unchecked((long)set.Atime), caller, cancellationToken).ConfigureAwait(false);
            return new SetTimesResponseProto();
        },
        ["setReplication"] = async (request, caller, cancellationToken) =>
        {
            var set = SetReplicationRequestProto.Parser.ParseFrom(request);
            EnsureWritable(set.Src);
            if (fs.GetFileInfo(set.Src, caller).Type == FileType.Directory)
            {
                return new SetReplicationResponseProto { Result = false };
            }
            await fs.SetReplicationAsync(set.Src, (int)Math.Min(set.Replication, int.MaxValue), cancellationToken, caller).ConfigureAwait(false);
            fs.RequestReplicationCheck(set.Src);
            return new SetReplicationResponseProto { Result = true };
        },
        ["create"] = async (request, caller, cancellationToken) =>
        {
            var create = CreateRequestProto.Parser.ParseFrom(request);
            EnsureWritable(create.Src);
            var status = await fs.CreateAsync(new CreateRequest
            {
                Path = create.Src,
                ClientName = create.ClientName,
                Overwrite = (create.CreateFlag & CreateFlagOverwrite) != 0,
                CreateParent = create.CreateParent,
                Replication = (int)Math.Min(create.Replication, int.MaxValue),
                BlockSize = (long)Math.Min(create.BlockSize, long.MaxValue),
                Permission = create.Masked.Perm & PermissionBits,
                ClientRequestId = NewRequestId(),
            }, caller, cancellationToken).ConfigureAwait(false);
            return new CreateResponseProto { Fs = HadoopFileStatus.From(status, ByteString.Empty) };
        },
        ["truncate"] = async (request, caller, cancellationToken) =>
        {
            var truncate = TruncateRequestProto.Parser.ParseFrom(request);
            EnsureWritable(truncate.Src);
            // A cut inside a block needs its kept bytes rewritten, which a DataNode does (as WebHDFS TRUNCATE); by the
            // time it answers the file has its new length, so the result is always true ("done", not "in progress").
            using var answer = await redirector.TruncateThroughDataNodeAsync(truncate.Src, (long)Math.Min(truncate.NewLength, long.MaxValue), caller, cancellationToken)
                .ConfigureAwait(false);
            if (!answer.IsSuccessStatusCode)
            {
                throw WebHdfsException.FromJson((int)answer.StatusCode, await answer.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
            }
            return new TruncateResponseProto { Result = true };
        },
    };

    private void EnsureWritable(string path)
    {
        state.EnsureActive();
        safeMode.EnsureWritable(path);
    }

    private static string NewRequestId() => Guid.NewGuid().ToString("N");

    /// <summary>Hadoop's delete answers false for a missing path.</summary>
    private async Task<bool> DeleteIfPresentAsync(string path, bool recursive, Caller caller, CancellationToken cancellationToken)
    {
        try
        {
            await fs.DeleteAsync(path, recursive, NewRequestId(), cancellationToken, caller).ConfigureAwait(false);
            return true;
        }
        catch (DfsException e) when (e.Kind == ErrorKind.FileNotFound)
        {
            return false;
        }
    }

    /// <summary>
    /// rename2 with OVERWRITE, as Hadoop's: an existing file, or empty directory, of the same kind as the
    /// source is replaced. Checked first (source present, kinds match, directory empty), then the destination
    /// is deleted and the rename journaled; the namespace has no single overwrite-rename operation, so a
    /// concurrent create of the destination between the two makes the rename fail with the destination gone.
    /// </summary>
    private async Task RemoveOverwrittenDestinationAsync(string source, string destination, Caller caller, CancellationToken cancellationToken)
    {
        var target = TryGetFileInfo(destination, caller);
        if (target is null)
        {
            return;
        }
        var moved = fs.GetFileInfo(source, caller);
        if (moved.FileId == target.FileId)
        {
            return;
        }
        var bothDirectories = moved.Type == FileType.Directory && target.Type == FileType.Directory;
        if (bothDirectories != (moved.Type == FileType.Directory || target.Type == FileType.Directory))
        {
            throw new DfsException(ErrorKind.AlreadyExists,
                $"{destination}: rename of {source} cannot overwrite a {Kind(target)} with a {Kind(moved)}");
        }
        if (bothDirectories && target.ChildrenCount > 0)
        {
            throw new DfsException(ErrorKind.AlreadyExists, $"{destination}: rename destination directory is not empty");
        }
        await fs.DeleteAsync(destination, recursive: false, NewRequestId(), cancellationToken, caller).ConfigureAwait(false);
    }

    private FileStatus? TryGetFileInfo(string path, Caller caller)
    {
        try
        {
            return fs.GetFileInfo(path, caller);
        }
        catch (DfsException e) when (e.Kind == ErrorKind.FileNotFound)
        {
            return null;
        }
    }

    private static string Kind(FileStatus status) => status.Type == FileType.Directory ? "directory" : "file";
}
