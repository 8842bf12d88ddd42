using System.Reflection;
using System.Runtime.InteropServices;

namespace PyHdfs.Testing;

/// <summary>Where the repository, the built assemblies (in the tests' own configuration) and the dotnet host are.</summary>
public sealed class RepositoryLayout
{
    public const string SolutionFile = "PyHdfs.sln";
    public const string TargetFramework = "net10.0";

    private RepositoryLayout(string root, string configuration)
    {
        Root = root;
        Configuration = configuration;
    }

    public string Root { get; }

    /// <summary>Debug or Release, as this assembly was built.</summary>
    public string Configuration { get; }

    public static RepositoryLayout Current { get; } = Discover();

    private static RepositoryLayout Discover()
    {
        var configuration = typeof(RepositoryLayout).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return new RepositoryLayout(dir.FullName, string.IsNullOrEmpty(configuration) ? "Debug" : configuration);
            }
        }
        throw new InvalidOperationException($"cannot find {SolutionFile} above {AppContext.BaseDirectory}");
    }

    /// <summary><c>services/PROJECT/bin/CONFIG/net10.0/ASSEMBLY.dll</c> (the CLI's assembly is pyhdfs.dll).</summary>
    public string ServiceAssembly(string projectName, string? assemblyName = null) =>
        Path.Combine(Root, "services", projectName, "bin", Configuration, TargetFramework, (assemblyName ?? projectName) + ".dll");

    public string CliAssembly => ServiceAssembly("PyHdfs.Cli", "pyhdfs");

    public string AppHostAssembly => Path.Combine(Root, "PyHdfs.AppHost", "bin", Configuration, TargetFramework, "PyHdfs.AppHost.dll");

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
