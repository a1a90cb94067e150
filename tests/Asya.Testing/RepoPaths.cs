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
