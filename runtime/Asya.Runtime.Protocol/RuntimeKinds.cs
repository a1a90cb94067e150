namespace Asya.Runtime.Protocol;

/// <summary>The manifest spelling of <see cref="RuntimeKind"/>: <c>python</c>, <c>dotnet</c>, <c>none</c>.</summary>
public static class RuntimeKinds
{
    /// <summary>The accepted names, for error messages.</summary>
    public const string Vocabulary = "python, dotnet or none";

    /// <summary>Reads a manifest name (exact, lower case, as Kubernetes field values are).</summary>
    public static bool TryParse(string? text, out RuntimeKind kind)
    {
        RuntimeKind? parsed = text switch
        {
            "python" => RuntimeKind.Python,
            "dotnet" => RuntimeKind.Dotnet,
            "none" => RuntimeKind.None,
            _ => null,
        };
        kind = parsed ?? RuntimeKind.Python;
        return parsed is not null;
    }

    /// <summary>The manifest name of <paramref name="kind"/>.</summary>
    public static string Name(RuntimeKind kind) => kind switch
    {
        RuntimeKind.Dotnet => "dotnet",
        RuntimeKind.None => "none",
        _ => "python",
    };
}
