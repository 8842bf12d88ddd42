using System.Runtime.InteropServices;

namespace PyHdfs.DataNode.Storage;

/// <summary>
/// fsync of a directory (Linux): a rename or a new file is durable only once the directory that holds its
/// name is. Without it a power cut after an fsynced, renamed replica can bring the replica back under its old
/// name, or not at all. A no-op elsewhere.
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0;
    private const int Directory = 0x10000; // O_DIRECTORY on Linux x64 and arm64
    private const int CloseOnExec = 0x80000;

    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var fd = Open(directory, ReadOnly | Directory | CloseOnExec);
        if (fd < 0)
        {
            throw Failure("open", directory);
        }
        try
        {
            if (Fsync(fd) != 0)
            {
                throw Failure("fsync", directory);
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static IOException Failure(string call, string directory)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} of directory {directory} failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
