namespace Asya.Testing.Kubernetes;

/// <summary>A resource type the fake server serves.</summary>
public sealed record ApiResource(string Group, string Version, string Plural, string Kind, bool Namespaced = true, bool HasStatus = false)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string Singular => Kind.ToLowerInvariant();
}
