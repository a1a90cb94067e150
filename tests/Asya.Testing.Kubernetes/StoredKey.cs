namespace Asya.Testing.Kubernetes;

/// <summary>Where an object lives: resource (group + plural), namespace ("" when cluster-scoped), name.</summary>
public readonly record struct StoredKey(string Group, string Plural, string Namespace, string Name);
