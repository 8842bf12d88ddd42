namespace PyHdfs.Metadata;

/// <summary>The metadata service's configuration section "Metadata".</summary>
public sealed class MetadataOptions
{
    public const string SectionName = "Metadata";

    /// <summary>The SQLite file (WAL mode); its directory is created when missing.</summary>
    public string DatabasePath { get; set; } = Path.Combine("data", "metadata", "namespace.db");

    /// <summary>Owner of the root directory created on first start.</summary>
    public string SuperUser { get; set; } = Environment.UserName;

    /// <summary>How many most recent journal entries are kept for standby NameNodes to tail; older ones are trimmed.</summary>
    public long JournalRetainEntries { get; set; } = 1_000_000;

    /// <summary>How often the journal trimmer looks for entries beyond the retention.</summary>
    public int JournalTrimIntervalMs { get; set; } = 10_000;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DatabasePath))
        {
            throw new InvalidOperationException("Metadata:DatabasePath is empty");
        }
        if (JournalRetainEntries < 1)
        {
            throw new InvalidOperationException($"Metadata:JournalRetainEntries must be at least 1, got {JournalRetainEntries}");
        }
        if (JournalTrimIntervalMs <= 0)
        {
            throw new InvalidOperationException($"Metadata:JournalTrimIntervalMs must be positive, got {JournalTrimIntervalMs}");
        }
    }
}
