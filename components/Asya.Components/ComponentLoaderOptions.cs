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

    /// <summary>
    /// The pod name: <c>POD_NAME</c> as daprd reads it (Kubernetes' downward API), else <c>HOSTNAME</c> (a pod's host name
    /// is its name), else the machine's host name, since shells rarely export <c>HOSTNAME</c>. <c>asya up</c>, the check
    /// and the sidecar all call this, so a manifest resolves the same everywhere.
    /// </summary>
    public static string? PodNameFrom(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment("POD_NAME") is { Length: > 0 } pod ? pod
            : environment("HOSTNAME") is { Length: > 0 } host ? host
            : Environment.MachineName;
    }
}
