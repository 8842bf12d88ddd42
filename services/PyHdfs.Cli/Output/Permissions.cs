using PyHdfs.Protocol.Permissions;

namespace PyHdfs.Cli.Output;

internal static class Permissions
{
    /// <summary>"drwxr-xr-x" style, from the type, the 9 low permission bits and the sticky bit (see <see cref="FsMode.ToSymbolic"/>).</summary>
    public static string Symbolic(bool isDirectory, uint permission) => FsMode.ToSymbolic(permission, isDirectory);

    public static string Octal(uint permission) => Convert.ToString(permission & 0xFFF, 8).PadLeft(4, '0');
}
