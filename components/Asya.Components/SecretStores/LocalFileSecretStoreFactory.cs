using Asya.Components.Abstractions;

namespace Asya.Components.SecretStores;

/// <summary>Factory of <c>secretstores.local.file</c>.</summary>
internal sealed class LocalFileSecretStoreFactory : IComponentFactory
{
    public IReadOnlyList<string> Types { get; } = ["secretstores.local.file"];

    public string Version => "v1";

    public IReadOnlyCollection<string> MetadataKeys { get; } = ["secretsFile", "nestedSeparator", "multiValued"];

    public IComponent Create(IServiceProvider services) => new LocalFileSecretStore();
}
