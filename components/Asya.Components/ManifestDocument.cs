using System.Text.Json.Nodes;

namespace Asya.Components;

/// <summary>One YAML document of a manifest file, converted to JSON, with the fields every kind shares.</summary>
public sealed record ManifestDocument
{
    /// <summary><c>apiVersion</c>, empty when absent.</summary>
    public required string ApiVersion { get; init; }

    /// <summary><c>kind</c>, empty when absent.</summary>
    public required string Kind { get; init; }

    /// <summary><c>metadata.name</c>.</summary>
    public string? Name { get; init; }

    /// <summary><c>metadata.namespace</c>.</summary>
    public string? Namespace { get; init; }

    /// <summary>Full path of the file the document came from.</summary>
    public required string SourceFile { get; init; }

    /// <summary>1-based line where the document starts.</summary>
    public required int Line { get; init; }

    /// <summary>The whole document.</summary>
    public required JsonObject Body { get; init; }

    /// <summary><c>file:line</c>, for messages.</summary>
    public string Location => $"{SourceFile}:{Line}";
}
