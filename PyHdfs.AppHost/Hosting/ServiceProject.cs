namespace PyHdfs.AppHost.Hosting;

/// <summary>A .NET service project of this repository, run as <c>dotnet services/NAME/bin/CONFIG/net10.0/NAME.dll</c>.</summary>
public sealed record ServiceProject(string ProjectName, string AssemblyName)
{
    public static readonly ServiceProject Zookeeper = new("PyHdfs.Zookeeper");
    public static readonly ServiceProject Metadata = new("PyHdfs.Metadata");
    public static readonly ServiceProject NameNode = new("PyHdfs.NameNode");
    public static readonly ServiceProject DataNode = new("PyHdfs.DataNode");
    public static readonly ServiceProject Cli = new("PyHdfs.Cli", "pyhdfs") { IsService = false };

    public ServiceProject(string projectName) : this(projectName, projectName)
    {
    }

    /// <summary>A service listens on a port and answers /health; otherwise it is a tool that runs and exits.</summary>
    public bool IsService { get; init; } = true;
}
