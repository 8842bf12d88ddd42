using System.Text.Json;

namespace PyHdfs.AppHost.Hosting;

/// <summary>
/// <c>{"grpc":"http://127.0.0.1:PORT","pid":"N"}</c> (the DataNode adds <c>"data"</c>), written by a service
/// through ServiceDefaults once it listens, atomically by rename.
/// </summary>
public static class EndpointsFile
{
    /// <summary>The endpoints, or null while the file is not there (yet) or not readable.</summary>
    public static IReadOnlyDictionary<string, string>? TryRead(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }
            return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path));
        }
        catch (IOException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
