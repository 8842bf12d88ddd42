using Microsoft.Extensions.Options;

namespace PyHdfs.DataNode.Storage;

/// <summary>The DataNode's stable id: DataNode:Id, else the one kept in DATADIR/datanode-id (created once).</summary>
internal sealed class DataNodeIdentity
{
    public DataNodeIdentity(IOptions<DataNodeOptions> options)
    {
        var configured = options.Value.Id?.Trim();
        if (!string.IsNullOrEmpty(configured))
        {
            Id = configured;
            return;
        }
        var dataDir = Path.GetFullPath(options.Value.DataDir);
        Directory.CreateDirectory(dataDir);
        var file = Path.Combine(dataDir, "datanode-id");
        if (File.Exists(file))
        {
            var stored = File.ReadAllText(file).Trim();
            if (stored.Length > 0)
            {
                Id = stored;
                return;
            }
        }
        Id = "dn-" + Guid.NewGuid().ToString("N");
        var temp = file + ".tmp";
        File.WriteAllText(temp, Id + "\n");
        File.Move(temp, file, overwrite: true);
    }

    public string Id { get; }
}
