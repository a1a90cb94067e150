namespace Asya.Testing;

/// <summary>Locations inside the repository, found from the test assembly's folder upwards.</summary>
public static class RepoPaths
{
    /// <summary>The folder holding <c>Asya.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The Python runtime under test; <c>ASYA_PYTHON_RUNTIME</c> selects another file.</summary>
    public static string PythonRuntime =>
        Environment.GetEnvironmentVariable("ASYA_PYTHON_RUNTIME") is { Length: > 0 } path
            ? path
            : Path.Combine(Root, "runtime", "python", "asya_runtime.py");

    /// <summary>The Python interpreter: <c>ASYA_PYTHON</c>, else <c>python3</c> on PATH.</summary>
    public static string Python =>
        Environment.GetEnvironmentVariable("ASYA_PYTHON") is { Length: > 0 } python ? python : "python3";

    /// <summary>
    /// The built <paramref name="dll"/> of project folder <paramref name="project"/> (relative to the root) in the
    /// configuration the tests run in; the test project must reference <paramref name="projectName"/> so it is built.
    /// </summary>
    public static string Built(string project, string dll, string projectName)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release"
            : "Debug";
        var path = Path.Combine(Root, project, "bin", configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} not built; reference {projectName} from the test project", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Asya.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Asya.sln not found above {AppContext.BaseDirectory}");
    }
}
