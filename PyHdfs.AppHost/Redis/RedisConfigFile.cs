namespace PyHdfs.AppHost.Redis;

/// <summary>DATA/redis/redis.conf, mode 0600 from its creation: the per-run password, readable by nobody else.</summary>
internal static class RedisConfigFile
{
    public static string Write(string redisDirectory, string password)
    {
        var path = Path.Combine(redisDirectory, "redis.conf");
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var writer = new StreamWriter(new FileStream(path, options)))
        {
            writer.WriteLine("# Written by the AppHost on every start: the password changes with each run.");
            writer.WriteLine($"requirepass \"{password}\"");
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return path;
    }
}
