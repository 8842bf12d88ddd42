using System.Security.Cryptography;

namespace PyHdfs.IntegrationTests;

internal static class TestData
{
    public const int KiB = 1024;
    public const int MiB = 1024 * 1024;

    /// <summary>Reproducible random bytes: a failure names the seed.</summary>
    public static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    /// <summary>A path no other test of the class uses.</summary>
    public static string UniquePath(string prefix) => $"/{prefix}-{Guid.NewGuid():N}";
}
