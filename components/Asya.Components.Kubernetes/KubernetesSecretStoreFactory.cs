using Asya.Components.Abstractions;

namespace Asya.Components.Kubernetes;

/// <summary>Factory of <c>secretstores.kubernetes</c>.</summary>
internal sealed class KubernetesSecretStoreFactory : IComponentFactory
{
    public IReadOnlyList<string> Types { get; } = ["secretstores.kubernetes"];

    public string Version => "v1";

    public IReadOnlyCollection<string> MetadataKeys { get; } =
        [KubernetesSecretStore.DefaultNamespaceKey, KubernetesSecretStore.KubeconfigPathKey];

    public IComponent Create(IServiceProvider services) => new KubernetesSecretStore();
}
