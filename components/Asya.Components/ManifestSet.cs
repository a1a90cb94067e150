namespace Asya.Components;

/// <summary>The documents read from one or more resources paths, and what went wrong on the way.</summary>
public sealed record ManifestSet(IReadOnlyList<ManifestDocument> Documents, IReadOnlyList<ManifestDiagnostic> Diagnostics)
{
    /// <summary>True when some document or file could not be read.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == ManifestSeverity.Error);
}
