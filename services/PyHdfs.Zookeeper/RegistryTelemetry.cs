using System.Diagnostics;

namespace PyHdfs.Zookeeper;

internal static class RegistryTelemetry
{
    public const string SourceName = "PyHdfs.Registry";

    public static readonly ActivitySource Source = new(SourceName);
}
