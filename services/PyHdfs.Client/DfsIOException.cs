using PyHdfs.Protocol;

namespace PyHdfs.Client;

/// <summary>
/// Every failure of the client: a typed <see cref="Kind"/> (from the NameNode's "pyhdfs-error" trailer,
/// or set by the client for data-plane failures), the path concerned, and a one-line message naming both.
/// </summary>
public sealed class DfsIOException : IOException
{
    public DfsIOException(ErrorKind kind, string? path, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Path = path;
    }

    public ErrorKind Kind { get; }

    public string? Path { get; }
}
