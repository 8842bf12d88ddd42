using PyHdfs.Protocol.Paths;

namespace PyHdfs.Cli.Infrastructure;

/// <summary>Pure resolution of put/get/mv targets (the "into an existing directory" rules).</summary>
internal static class TargetResolver
{
    /// <summary>
    /// Remote paths must be absolute: there is no working directory in PyHDFS, and guessing one
    /// would put data where the user did not say. Trailing slashes are dropped.
    /// </summary>
    public static string Remote(string path)
    {
        if (path.Length > 1 && path[0] == '-')
        {
            throw CliException.Usage($"unknown option '{path}'");
        }
        if (path.Length > 0 && path[0] != '/')
        {
            throw CliException.Usage($"invalid path '{path}': not absolute (PyHDFS paths start with '/', e.g. '/{path}')");
        }
        if (!DfsPath.TryNormalize(path, out var normalized, out var error))
        {
            throw CliException.Usage(error);
        }
        return normalized;
    }

    /// <summary>put: into an existing remote directory the file keeps its local name.</summary>
    public static string PutTarget(string remote, string localPath, bool remoteIsDirectory)
    {
        if (!remoteIsDirectory)
        {
            return remote;
        }
        if (localPath == "-")
        {
            throw CliException.Usage($"{remote} is a directory: give the file name to store stdin under");
        }
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(localPath));
        if (!DfsPath.TryValidateName(name, out var error))
        {
            throw CliException.Usage($"{localPath}: cannot be stored under that name: {error}");
        }
        return DfsPath.Combine(remote, name);
    }

    /// <summary>get: null (stdout) when no local path or "-"; into an existing local directory the file keeps its remote name.</summary>
    public static string? GetTarget(string remote, string? local, Func<string, bool> isLocalDirectory)
    {
        if (local is null or "-")
        {
            return null;
        }
        return isLocalDirectory(local) ? Path.Combine(local, DfsPath.NameOf(remote)) : local;
    }

    /// <summary>mv: into an existing directory the source keeps its name.</summary>
    public static string MoveTarget(string source, string destination, bool destinationIsDirectory) =>
        destinationIsDirectory ? DfsPath.Combine(destination, DfsPath.NameOf(source)) : destination;
}
