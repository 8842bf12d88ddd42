namespace PyHdfs.NameNode.Namespace.Permissions;

internal static class ModeText
{
    public const uint StickyBit = 0x200; // 01000

    /// <summary>"drwxrwxrwt" style: type, nine rwx bits, the sticky bit as t/T in the last place.</summary>
    public static string Of(Inode inode)
    {
        Span<char> chars = stackalloc char[10];
        chars[0] = inode.IsDirectory ? 'd' : '-';
        const string rwx = "rwx";
        for (var i = 0; i < 9; i++)
        {
            chars[i + 1] = (inode.Permission & (1u << (8 - i))) != 0 ? rwx[i % 3] : '-';
        }
        if ((inode.Permission & StickyBit) != 0)
        {
            chars[9] = chars[9] == 'x' ? 't' : 'T';
        }
        return new string(chars);
    }
}
