namespace Asya.Components;

/// <summary>A problem found while reading manifests, with the file and (1-based) line it concerns.</summary>
public sealed record ManifestDiagnostic(ManifestSeverity Severity, string SourceFile, int Line, string Message)
{
    /// <summary><c>file:line: message</c>.</summary>
    public override string ToString() => Line > 0 ? $"{SourceFile}:{Line}: {Message}" : $"{SourceFile}: {Message}";
}
