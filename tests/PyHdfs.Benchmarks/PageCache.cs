using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace PyHdfs.Benchmarks;

/// <summary>
/// Evicts files from the page cache with fsync + posix_fadvise(POSIX_FADV_DONTNEED), so the next read of
/// them comes from the disk. Unlike <c>echo 3 &gt; /proc/sys/vm/drop_caches</c> it needs no root and leaves
/// the caches of everything else on the (shared) machine alone.
/// </summary>
public static partial class PageCache
{
    private const int PosixFadvDontNeed = 4;

    /// <summary>Evicts every file under the given directories; returns false when some file could not be evicted.</summary>
    public static bool EvictTrees(IEnumerable<string> directories)
    {
        var allEvicted = true;
        foreach (var directory in directories)
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            {
                allEvicted &= TryEvict(file);
            }
        }
        return allEvicted;
    }

    /// <summary>Writes back the file's dirty pages (fadvise skips those) and drops its cached pages.</summary>
    public static bool TryEvict(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A replica renamed or deleted meanwhile (rbw -> finalized, a scanner's temp file) is not read by a get.
            return !File.Exists(path);
        }
        using (handle)
        {
            var fd = (int)handle.DangerousGetHandle();
            return Fsync(fd) == 0 && PosixFadvise(fd, 0, 0, PosixFadvDontNeed) == 0;
        }
    }

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int PosixFadvise(int fd, long offset, long length, int advice);
}
