using System.Globalization;
using System.Text.Json;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.NameNode.WebHdfs;

/// <summary>Hadoop's JSON shapes (JsonUtil in Hadoop): FileStatus, FileStatuses, DirectoryListing, ContentSummary, BlockLocations, Path.</summary>
internal static class WebHdfsJson
{
    /// <summary>
    /// Every key Hadoop writes for a plain file or directory. A directory's access time is 0 (as in HDFS). The permission
    /// is octal without a leading zero ("644", "1777").
    /// </summary>
    public static void WriteFileStatus(Utf8JsonWriter json, FileStatus status, string pathSuffix)
    {
        var isDirectory = status.Type == FileType.Directory;
        json.WriteStartObject();
        json.WriteNumber("accessTime", isDirectory ? 0 : status.AccessTimeMs);
        json.WriteNumber("blockSize", isDirectory ? 0 : status.BlockSize);
        json.WriteNumber("childrenNum", isDirectory ? status.ChildrenCount : 0);
        json.WriteNumber("fileId", status.FileId);
        json.WriteString("group", status.Group);
        json.WriteNumber("length", isDirectory ? 0 : status.Length);
        json.WriteNumber("modificationTime", status.ModificationTimeMs);
        json.WriteString("owner", status.Owner);
        json.WriteString("pathSuffix", pathSuffix);
        json.WriteString("permission", Octal(status.Permission));
        json.WriteNumber("replication", isDirectory ? 0 : status.Replication);
        json.WriteNumber("storagePolicy", 0);
        json.WriteString("type", isDirectory ? "DIRECTORY" : "FILE");
        json.WriteEndObject();
    }

    public static string Octal(uint permission) => Convert.ToString(permission & 0x3FF, 8);

    /// <summary><c>{"FileStatus": {…}}</c> with an empty pathSuffix.</summary>
    public static void WriteSingleStatus(Utf8JsonWriter json, FileStatus status)
    {
        json.WriteStartObject();
        json.WritePropertyName("FileStatus");
        WriteFileStatus(json, status, "");
        json.WriteEndObject();
    }

    /// <summary>The body of <c>"FileStatuses"</c>: entries named by their last component (a listed file: one entry, suffix "").</summary>
    public static void WriteFileStatuses(Utf8JsonWriter json, IEnumerable<FileStatus> entries, bool listedIsFile)
    {
        json.WriteStartObject();
        json.WriteStartArray("FileStatus");
        foreach (var entry in entries)
        {
            WriteFileStatus(json, entry, listedIsFile ? "" : entry.Name);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static void WriteContentSummary(Utf8JsonWriter json, ContentSummary summary)
    {
        json.WriteStartObject();
        json.WriteStartObject("ContentSummary");
        json.WriteNumber("directoryCount", summary.DirectoryCount);
        json.WriteString("ecPolicy", "");
        json.WriteNumber("fileCount", summary.FileCount);
        json.WriteNumber("length", summary.Length);
        json.WriteNumber("quota", -1);
        json.WriteNumber("spaceConsumed", summary.SpaceConsumed);
        json.WriteNumber("spaceQuota", -1);
        json.WriteStartObject("typeQuota");
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary><c>{"BlockLocations":{"BlockLocation":[…]}}</c>: hosts, names (host:port), offsets and lengths of the blocks in range.</summary>
    public static void WriteBlockLocations(Utf8JsonWriter json, GetBlockLocationsResponse located, long offset, long length)
    {
        var end = length == 0 ? long.MaxValue : offset + length;
        json.WriteStartObject();
        json.WriteStartObject("BlockLocations");
        json.WriteStartArray("BlockLocation");
        foreach (var block in located.Blocks)
        {
            var blockLength = block.Block.NumBytes;
            if (block.Offset + blockLength <= offset || block.Offset >= end)
            {
                continue;
            }
            json.WriteStartObject();
            json.WriteStartArray("cachedHosts");
            json.WriteEndArray();
            json.WriteBoolean("corrupt", block.Corrupt);
            WriteStrings(json, "hosts", block.Locations.Select(l => l.Host));
            json.WriteNumber("length", blockLength);
            WriteStrings(json, "names", block.Locations.Select(Name));
            json.WriteNumber("offset", block.Offset);
            WriteStrings(json, "storageIds", block.Locations.Select(l => l.Id));
            WriteStrings(json, "storageTypes", block.Locations.Select(_ => "DISK"));
            WriteStrings(json, "topologyPaths", block.Locations.Select(l => "/default-rack/" + Name(l)));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static string Name(Protocol.DataNodeAddress address) => string.Create(CultureInfo.InvariantCulture, $"{address.Host}:{address.DataPort}");

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }
        json.WriteEndArray();
    }

    public static void WritePath(Utf8JsonWriter json, string path)
    {
        json.WriteStartObject();
        json.WriteString("Path", path);
        json.WriteEndObject();
    }
}
