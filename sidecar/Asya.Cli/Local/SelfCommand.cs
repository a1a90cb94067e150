namespace Asya.Cli.Local;

/// <summary>How to start this same program again (for <c>asya sidecar</c> children).</summary>
/// <param name="FileName">Executable: the <c>asya</c> apphost, or <c>dotnet</c>.</param>
/// <param name="PrefixArgs">Arguments before the command, e.g. the path of <c>asya.dll</c> under <c>dotnet</c>.</param>
internal sealed record SelfCommand(string FileName, IReadOnlyList<string> PrefixArgs)
{
    /// <summary>
    /// The apphost when this process is one; otherwise <c>dotnet asya.dll</c> (run through <c>dotnet</c>, or hosted by
    /// a test runner).
    /// </summary>
    public static SelfCommand Current()
    {
        var process = Environment.ProcessPath;
        return process is not null && Path.GetFileNameWithoutExtension(process) == "asya"
            ? new SelfCommand(process, [])
            : ForDll(typeof(SelfCommand).Assembly.Location);
    }

    /// <summary><c>dotnet &lt;dll&gt;</c>.</summary>
    public static SelfCommand ForDll(string dll) => new(DotnetHost(), [dll]);

    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        var process = Environment.ProcessPath;
        return process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet" ? process : "dotnet";
    }
}
