namespace Asya.Components;

/// <summary>How bad a problem found while reading manifests is.</summary>
public enum ManifestSeverity
{
    /// <summary>Something was skipped or looks wrong; loading continues.</summary>
    Warning,

    /// <summary>A document or file could not be read; the others still load.</summary>
    Error,
}
