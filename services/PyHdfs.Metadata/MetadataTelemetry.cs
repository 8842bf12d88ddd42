using System.Diagnostics;

namespace PyHdfs.Metadata;

internal static class MetadataTelemetry
{
    public const string SourceName = "PyHdfs.Metadata";

    public static readonly ActivitySource Source = new(SourceName);
}
