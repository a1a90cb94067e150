namespace Asya.Components;

/// <summary>One Component document after loading: what it is, where it is written, what became of it and why.</summary>
/// <param name="Name"><c>metadata.name</c> (<c>(no name)</c> when missing).</param>
/// <param name="Type"><c>spec.type</c> as written, lower case (empty when missing).</param>
/// <param name="SourceFile">Full path of the manifest file.</param>
/// <param name="Line">1-based line where the document starts.</param>
/// <param name="Status">Loaded, skipped or error.</param>
/// <param name="Reason">Why it was skipped, or the error; null when loaded.</param>
/// <param name="Warnings">Doubtful keys and values; loading goes on.</param>
public sealed record ComponentOutcome(
    string Name, string Type, string SourceFile, int Line, ComponentStatus Status, string? Reason, IReadOnlyList<string> Warnings)
{
    /// <summary><c>file:line</c>.</summary>
    public string Location => $"{SourceFile}:{Line}";

    /// <summary>True for transports (<c>pubsub.*</c> and bindings that carry mesh traffic).</summary>
    public bool IsCategory(string prefix) =>
        Type.Length > 0 && string.Equals(ComponentTypes.CategoryOf(Type), prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary><c>component 'name' (file:line): reason</c>, for error messages.</summary>
    public string Describe() => $"component '{Name}' ({Location}): {Reason ?? Status.ToString().ToLowerInvariant()}";
}
