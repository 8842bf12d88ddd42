using System.Diagnostics;

namespace PyHdfs.NameNode;

internal static class Telemetry
{
    public const string Name = "PyHdfs.NameNode";

    public static readonly ActivitySource Source = new(Name);
}
