using PyHdfs.DataNode.Storage;
using PyHdfs.Testing;

namespace PyHdfs.DataNode.Tests;

public sealed class DirectorySyncTests
{
    [Fact]
    public void A_directory_is_fsynced_and_a_missing_one_is_an_error_naming_it()
    {
        using var dir = new TempDirectory("pyhdfs-dirsync");
        DirectorySync.Flush(dir.Path);

        var missing = Path.Combine(dir.Path, "no-such-dir");
        var error = Assert.Throws<IOException>(() => DirectorySync.Flush(missing));
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);

        var file = Path.Combine(dir.Path, "a-file");
        File.WriteAllText(file, "x");
        Assert.Throws<IOException>(() => DirectorySync.Flush(file)); // O_DIRECTORY: not a directory
    }
}
