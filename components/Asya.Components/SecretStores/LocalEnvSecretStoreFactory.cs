using Asya.Components.Abstractions;

namespace Asya.Components.SecretStores;

/// <summary>Factory of <c>secretstores.local.env</c>.</summary>
internal sealed class LocalEnvSecretStoreFactory : IComponentFactory
{
    public IReadOnlyList<string> Types { get; } = ["secretstores.local.env"];

    public string Version => "v1";

    public IReadOnlyCollection<string> MetadataKeys { get; } = ["prefix"];

    public IComponent Create(IServiceProvider services) => new LocalEnvSecretStore();
}
