namespace Asya.Operator.Building;

/// <summary>The Component manifests one actor's sidecar loads, as files of its components Secret.</summary>
/// <param name="Transport">Name of the transport component (<c>--transport</c> of the sidecar).</param>
/// <param name="Files">File name → manifest text.</param>
/// <param name="SecretNames">Kubernetes Secrets the manifests' <c>secretKeyRef</c>s read through <c>secretstores.kubernetes</c>.</param>
public sealed record RenderedComponents(string Transport, IReadOnlyDictionary<string, string> Files, IReadOnlyList<string> SecretNames)
{
    /// <summary>A crew actor's state store (the sidecar's <c>--result-store</c>, <see cref="CrewStateStore"/>); null when none is named.</summary>
    public string? StateStore { get; init; }

    /// <summary>Digest of the files; a change rolls the pods (pod template annotation).</summary>
    public string Hash => ObjectHash.Of(string.Join("\n", Files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + "\n" + f.Value)));
}
