using System.Reflection;
using System.Runtime.InteropServices;

namespace PyHdfs.AppHost.Hosting;

/// <summary>Where the repository, the built service assemblies and the dotnet host are.</summary>
public sealed class RepositoryLayout
{
    public const string SolutionFile = "PyHdfs.sln";
    public const string TargetFramework = "net10.0";

    public RepositoryLayout(string root, string configuration)
    {
        Root = root;
        Configuration = configuration;
    }

    public string Root { get; }

    /// <summary>Debug or Release: the services are run from the same configuration the AppHost was built in.</summary>
    public string Configuration { get; }

    /// <summary>Found by walking up from the running assembly's directory to <see cref="SolutionFile"/>.</summary>
    public static RepositoryLayout Discover()
    {
        var configuration = typeof(RepositoryLayout).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return new RepositoryLayout(dir.FullName, string.IsNullOrEmpty(configuration) ? "Debug" : configuration);
            }
        }
        throw new InvalidOperationException($"cannot find {SolutionFile} above {AppContext.BaseDirectory}: run the AppHost from a checkout of the repository");
    }

    public string AssemblyPath(ServiceProject project) =>
        Path.Combine(Root, "services", project.ProjectName, "bin", Configuration, TargetFramework, project.AssemblyName + ".dll");

    /// <summary>The dotnet host that runs this process, so children use the same runtime.</summary>
    public static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }
        // .../dotnet/shared/Microsoft.NETCore.App/<version>/ -> .../dotnet/dotnet
        var runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar);
        var root = Directory.GetParent(runtimeDirectory)?.Parent?.Parent?.FullName;
        var candidate = root is null ? null : Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return candidate is not null && File.Exists(candidate) ? candidate : "dotnet";
    }
}
