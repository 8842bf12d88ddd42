namespace PyHdfs.Protocol.Permissions;

/// <summary>
/// File modes as HDFS has them, shared by the NameNode, the client and the CLI: nine rwx bits
/// (owner, group, other) and the sticky bit; and the names an owner or group may have.
/// </summary>
public static class FsMode
{
    /// <summary>The sticky bit (01000): in such a directory only an entry's owner or the directory's owner may delete or rename the entry.</summary>
    public const uint StickyBit = 0x200;

    /// <summary>The largest mode (01777): rwx for the three classes and the sticky bit.</summary>
    public const uint MaxPermission = 0x3FF;

    /// <summary>Why a mode beyond <see cref="MaxPermission"/> is refused, or null when it is within range.</summary>
    public static string? Error(uint mode) =>
        mode > MaxPermission ? $"mode {Convert.ToString(mode, 8)} is not within 0..1777 (octal)" : null;

    /// <summary>"drwxr-xr-x" style, as ls(1): the type, the nine rwx bits, and the sticky bit as t (over x) or T (without x) in the last place.</summary>
    public static string ToSymbolic(uint mode, bool isDirectory)
    {
        Span<char> chars = stackalloc char[10];
        chars[0] = isDirectory ? 'd' : '-';
        const string rwx = "rwx";
        for (var i = 0; i < 9; i++)
        {
            chars[i + 1] = (mode & (1u << (8 - i))) != 0 ? rwx[i % 3] : '-';
        }
        if ((mode & StickyBit) != 0)
        {
            chars[9] = chars[9] == 'x' ? 't' : 'T';
        }
        return new string(chars);
    }

    /// <summary>
    /// Why <paramref name="name"/> is not a valid user or group name (empty, or with a space, a
    /// control character, ':' or '/'), or null when it is valid.
    /// </summary>
    public static string? ValidateName(string name) =>
        name.Length == 0 ? "a user or group name may not be empty"
        : name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is ':' or '/')
            ? $"'{name}' is not a valid user or group name (no spaces, ':' or '/')"
            : null;
}
