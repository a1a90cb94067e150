namespace Asya.Components;

/// <summary>The documents read from one or more resources paths, and what went wrong on the way.</summary>
public sealed record ManifestSet(IReadOnlyList<ManifestDocument> Documents, IReadOnlyList<ManifestDiagnostic> Diagnostics);
