namespace Asya.Cli.Local;

/// <summary>
/// Finds the repository from the executable's location (<c>artifacts/asya/</c> or a <c>bin/</c> folder below it),
/// for the default Python runtime file.
/// </summary>
internal static class RepoLocator
{
    public const string RuntimeEnv = "ASYA_PYTHON_RUNTIME";
    public const string PythonEnv = "ASYA_PYTHON";

    public static string? FindRoot(string startDirectory)
    {
        for (var dir = new DirectoryInfo(startDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Asya.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <summary><c>ASYA_PYTHON_RUNTIME</c>, else <c>&lt;repo&gt;/runtime/python/asya_runtime.py</c>.</summary>
    public static string RuntimeFile(Func<string, string?> env, string startDirectory)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (env(RuntimeEnv) is { Length: > 0 } path)
        {
            return Path.GetFullPath(path);
        }

        var root = FindRoot(startDirectory)
            ?? throw Cli.CliException.Config($"cannot find the Asya repository above {startDirectory}; set {RuntimeEnv} to the Python runtime file");
        return Path.Combine(root, "runtime", "python", "asya_runtime.py");
    }

    /// <summary><c>ASYA_PYTHON</c>, else <c>python3</c>.</summary>
    public static string Python(Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return env(PythonEnv) is { Length: > 0 } python ? python : "python3";
    }
}
