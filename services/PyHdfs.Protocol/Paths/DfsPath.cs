namespace PyHdfs.Protocol.Paths;

/// <summary>
/// Validation and normalization of namespace paths, shared by the client and the NameNode.
/// A valid path is absolute, uses "/" as separator, has no "." or ".." components, no empty
/// components except the trailing slash that normalization removes, and stays inside the limits.
/// </summary>
public static class DfsPath
{
    public const int MaxPathLength = 4096;
    public const int MaxComponentLength = 255;
    public const int MaxDepth = 256;

    /// <summary>Returns the normalized path ("/a/b"), or throws <see cref="DfsException"/> (InvalidPath) naming the path and the cause.</summary>
    public static string Normalize(string? path)
    {
        if (!TryNormalize(path, out var normalized, out var error))
        {
            throw new Errors.DfsException(ErrorKind.InvalidPath, error);
        }
        return normalized;
    }

    public static bool TryNormalize(string? path, out string normalized, out string error)
    {
        normalized = "";
        if (string.IsNullOrEmpty(path))
        {
            error = "invalid path '': the path is empty";
            return false;
        }
        if (path.Length > MaxPathLength)
        {
            error = $"invalid path '{Shorten(path)}': longer than {MaxPathLength} characters";
            return false;
        }
        if (path[0] != '/')
        {
            error = $"invalid path '{path}': not absolute (it must start with '/')";
            return false;
        }
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length > MaxDepth)
        {
            error = $"invalid path '{Shorten(path)}': deeper than {MaxDepth} components";
            return false;
        }
        foreach (var part in parts)
        {
            if (!TryValidateName(part, out var nameError))
            {
                error = $"invalid path '{path}': {nameError}";
                return false;
            }
        }
        normalized = parts.Length == 0 ? "/" : "/" + string.Join('/', parts);
        error = "";
        return true;
    }

    /// <summary>Checks one path component (a file or directory name).</summary>
    public static bool TryValidateName(string name, out string error)
    {
        if (name is "." or "..")
        {
            error = $"component '{name}' is not allowed";
            return false;
        }
        if (name.Length > MaxComponentLength)
        {
            error = $"component '{Shorten(name)}' is longer than {MaxComponentLength} characters";
            return false;
        }
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '/' || c == ':' || char.IsControl(c))
            {
                error = $"component '{name}' contains the character U+{(int)c:X4}, which is not allowed";
                return false;
            }
            // An unpaired surrogate has no UTF-8 form: protobuf would turn it into U+FFFD on the wire, so the
            // NameNode would store a different name than the client asked for.
            if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[++i])))
            {
                error = $"component '{name}' contains an unpaired UTF-16 surrogate U+{(int)c:X4}, which has no UTF-8 form";
                return false;
            }
        }
        error = "";
        return true;
    }

    /// <summary>The components of a normalized path; empty for "/".</summary>
    public static string[] Split(string normalizedPath) =>
        normalizedPath.Split('/', StringSplitOptions.RemoveEmptyEntries);

    public static string Combine(string directory, string name) =>
        directory == "/" ? "/" + name : directory + "/" + name;

    public static string ParentOf(string normalizedPath)
    {
        var slash = normalizedPath.LastIndexOf('/');
        return slash <= 0 ? "/" : normalizedPath[..slash];
    }

    public static string NameOf(string normalizedPath) =>
        normalizedPath[(normalizedPath.LastIndexOf('/') + 1)..];

    /// <summary>True when <paramref name="candidate"/> is <paramref name="ancestor"/> or below it.</summary>
    public static bool IsSameOrDescendant(string candidate, string ancestor) =>
        ancestor == "/" || candidate == ancestor || candidate.StartsWith(ancestor + "/", StringComparison.Ordinal);

    private static string Shorten(string s) => s.Length <= 64 ? s : s[..61] + "...";
}
