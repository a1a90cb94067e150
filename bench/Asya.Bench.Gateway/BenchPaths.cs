namespace Asya.Bench.Gateway;

/// <summary>The repository root and the built processes the bench runs (built with it, in its configuration).</summary>
internal static class BenchPaths
{
    public static string Root { get; } = FindRoot();

    private static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string SidecarDll => Path.Combine(Root, "sidecar", "Asya.Sidecar.Host", "bin", Configuration, "net10.0", "asya-sidecar.dll");

    public static string GatewayDll => Path.Combine(Root, "gateway", "Asya.Gateway", "bin", Configuration, "net10.0", "asya-gateway.dll");

    public static string PythonRuntime => Environment.GetEnvironmentVariable("ASYA_PYTHON_RUNTIME") is { Length: > 0 } custom
        ? custom
        : Path.Combine(Root, "runtime", "python", "asya_runtime.py");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Asya.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
