using Asya.Operator.Model;
using k8s.Models;

namespace Asya.Operator.Building;

/// <summary>The Secret holding an actor's Component manifests, mounted as the sidecar's resources path.</summary>
public static class ComponentsSecretBuilder
{
    public static V1Secret Build(ActorModel actor, RenderedComponents components)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(components);
        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Type = "Opaque",
            Metadata = new V1ObjectMeta
            {
                Name = ObjectNames.ComponentsSecret(actor),
                NamespaceProperty = actor.Namespace,
                Labels = Labels.Of(actor),
                OwnerReferences = OwnerReferences.Of(actor),
            },
            StringData = components.Files.OrderBy(f => f.Key, StringComparer.Ordinal).ToDictionary(f => f.Key, f => f.Value),
        };
    }
}
