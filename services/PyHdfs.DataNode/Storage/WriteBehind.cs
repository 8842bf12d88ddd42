using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace PyHdfs.DataNode.Storage;

/// <summary>
/// Starts the writeback of a file range that was just written (Linux <c>sync_file_range</c> with
/// SYNC_FILE_RANGE_WRITE: asynchronous, no wait), so dirty pages go to the disk while the block is still
/// streaming instead of all at the fsync that finalizes it, and the kernel does not throttle the writer
/// for a large backlog of dirty pages. Durability still comes from that fsync. A no-op elsewhere.
/// </summary>
internal static partial class WriteBehind
{
    /// <summary>How many bytes a replica writer accumulates before starting their writeback.</summary>
    public const long ChunkBytes = 8L << 20;

    private const uint SyncFileRangeWrite = 2;

    public static void Start(SafeFileHandle file, long offset, long length)
    {
        if (!OperatingSystem.IsLinux() || length <= 0)
        {
            return;
        }
        // Best effort: an unsupported call only loses the head start. But a full disk or an I/O error must fail
        // the write now: without SyncOnBlockClose no fsync would report it before the replica is finalized.
        if (SyncFileRange((int)file.DangerousGetHandle(), offset, length, SyncFileRangeWrite) != 0
            && Marshal.GetLastPInvokeError() is var errno and (NoSpace or InputOutputError))
        {
            throw new IOException($"writeback of {length} bytes at offset {offset} failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }
    }

    private const int InputOutputError = 5;
    private const int NoSpace = 28;

    [DllImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static extern int SyncFileRange(int fd, long offset, long nbytes, uint flags);
}
