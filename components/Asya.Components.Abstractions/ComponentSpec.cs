namespace Asya.Components.Abstractions;

/// <summary>
/// <c>spec.*</c> of a Dapr-style <c>Component</c> document after loading: secrets, <c>envRef</c>s and template tags
/// already resolved. Metadata keys are looked up case-insensitively, as Dapr's decoder does.
/// </summary>
/// <param name="Name"><c>metadata.name</c>.</param>
/// <param name="Type"><c>spec.type</c>, lower case, e.g. <c>pubsub.sqlite</c>.</param>
/// <param name="Version"><c>spec.version</c>, e.g. <c>v1</c>.</param>
/// <param name="Metadata"><c>spec.metadata</c> as text values.</param>
public sealed record ComponentSpec(string Name, string Type, string Version, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>File the document came from, for error messages; <c>null</c> for components built in code.</summary>
    public string? SourceFile { get; init; }

    /// <summary>Names of metadata keys whose values came from a secret store, so errors and logs mask them.</summary>
    public IReadOnlySet<string> SecretKeys { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>A component built in code (no manifest), e.g. the embedded default transport.</summary>
    public static ComponentSpec Create(string name, string type, params (string Key, string Value)[] metadata) =>
        new(name, type, "v1", metadata.ToDictionary(m => m.Key, m => m.Value, StringComparer.OrdinalIgnoreCase));

    /// <summary>Where the component was defined, for messages: <c>name (file)</c>.</summary>
    public string Describe() => SourceFile is null ? $"component '{Name}'" : $"component '{Name}' ({SourceFile})";
}
