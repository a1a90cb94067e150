namespace Asya.Components;

/// <summary>Who is loading components: decides <c>scopes</c>, <c>metadata.namespace</c> and template tags.</summary>
public sealed class ComponentLoaderOptions
{
    /// <summary>Our app id (the actor name): matched against <c>scopes</c>, replaces <c>{appID}</c>.</summary>
    public required string AppId { get; init; }

    /// <summary>
    /// When set, documents with a different non-empty <c>metadata.namespace</c> are skipped (Dapr's <c>NAMESPACE</c>).
    /// </summary>
    public string? Namespace { get; init; }

    /// <summary>Replaces <c>{podName}</c>; a manifest using the tag without it is an error.</summary>
    public string? PodName { get; init; }
}
