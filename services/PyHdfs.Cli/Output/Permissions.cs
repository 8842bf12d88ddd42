namespace PyHdfs.Cli.Output;

internal static class Permissions
{
    /// <summary>"drwxr-xr-x" style, from the type, the 9 low permission bits and the sticky bit.</summary>
    public static string Symbolic(bool isDirectory, uint permission)
    {
        Span<char> chars = stackalloc char[10];
        chars[0] = isDirectory ? 'd' : '-';
        const string rwx = "rwx";
        for (var i = 0; i < 9; i++)
        {
            var bit = 1u << (8 - i);
            chars[i + 1] = (permission & bit) != 0 ? rwx[i % 3] : '-';
        }
        if ((permission & 0x200) != 0)
        {
            // The sticky bit (01000), as ls(1): t over x, T without it.
            chars[9] = chars[9] == 'x' ? 't' : 'T';
        }
        return new string(chars);
    }

    public static string Octal(uint permission) => Convert.ToString(permission & 0xFFF, 8).PadLeft(4, '0');
}
