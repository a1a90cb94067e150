namespace Asya.Components;

/// <summary>Everything one load pass found: an outcome per Component document and the file-level problems.</summary>
public sealed record ManifestReport(IReadOnlyList<ComponentOutcome> Components, IReadOnlyList<ManifestDiagnostic> Diagnostics)
{
    /// <summary>An empty report (no resources path).</summary>
    public static ManifestReport Empty { get; } = new([], []);

    /// <summary>True when a file does not parse or a component is invalid.</summary>
    public bool HasErrors =>
        Diagnostics.Any(d => d.Severity == ManifestSeverity.Error) || Components.Any(c => c.Status == ComponentStatus.Error);

    /// <summary>Every error, one per line: unparsable files first, then invalid components.</summary>
    public IReadOnlyList<string> Errors =>
    [
        .. Diagnostics.Where(d => d.Severity == ManifestSeverity.Error).Select(d => d.ToString()),
        .. Components.Where(c => c.Status == ComponentStatus.Error).Select(c => c.Describe()),
    ];

    /// <summary>Every warning, one per line, each naming its file.</summary>
    public IReadOnlyList<string> Warnings =>
    [
        .. Diagnostics.Where(d => d.Severity == ManifestSeverity.Warning).Select(d => d.ToString()),
        .. Components.SelectMany(c => c.Warnings.Select(w => $"component '{c.Name}' ({c.Location}): {w}")),
    ];
}
