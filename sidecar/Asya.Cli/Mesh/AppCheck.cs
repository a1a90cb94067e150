using Asya.Components;

namespace Asya.Cli.Mesh;

/// <summary>What the sidecar of one app would make of the manifests, found without connecting to anything.</summary>
/// <param name="AppId">The app (actor) id; empty when scopes were not applied.</param>
/// <param name="Report">Every Component document: loaded, skipped (why) or error, with warnings.</param>
/// <param name="Problems">Errors beyond single documents: transport choice, Resiliency documents.</param>
/// <param name="Notes">Resiliency targets that are not applied, and similar warnings.</param>
/// <param name="Transport">The transport the app would use, for the summary line; null when not decided.</param>
/// <param name="Store">The result store (crew only).</param>
internal sealed record AppCheck(
    string AppId, ManifestReport Report, IReadOnlyList<string> Problems, IReadOnlyList<string> Notes, string? Transport, string? Store)
{
    public bool HasErrors => Report.HasErrors || Problems.Count > 0;

    /// <summary>Every error of the check, one per line.</summary>
    public IEnumerable<string> Errors => Report.Errors.Concat(Problems);

    /// <summary>Every warning of the check, one per line.</summary>
    public IEnumerable<string> Warnings => Report.Warnings.Concat(Notes);
}
