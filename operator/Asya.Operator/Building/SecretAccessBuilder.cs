using Asya.Operator.Model;
using k8s.Models;

namespace Asya.Operator.Building;

/// <summary>
/// ServiceAccount + Role + RoleBinding letting an actor's pods <c>get</c> exactly the Secrets its components'
/// <c>secretKeyRef</c>s name (through <c>secretstores.kubernetes</c>), nothing else.
/// </summary>
public static class SecretAccessBuilder
{
    public static V1ServiceAccount ServiceAccount(ActorModel actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return new V1ServiceAccount
        {
            ApiVersion = "v1",
            Kind = "ServiceAccount",
            Metadata = Metadata(actor),
        };
    }

    public static V1Role Role(ActorModel actor, IReadOnlyList<string> secretNames)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(secretNames);
        return new V1Role
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "Role",
            Metadata = Metadata(actor),
            Rules =
            [
                new V1PolicyRule
                {
                    ApiGroups = [""],
                    Resources = ["secrets"],
                    ResourceNames = [.. secretNames.Order(StringComparer.Ordinal)],
                    Verbs = ["get"],
                },
            ],
        };
    }

    public static V1RoleBinding RoleBinding(ActorModel actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var name = ObjectNames.SecretAccess(actor);
        return new V1RoleBinding
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "RoleBinding",
            Metadata = Metadata(actor),
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = name },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = name, NamespaceProperty = actor.Namespace }],
        };
    }

    private static V1ObjectMeta Metadata(ActorModel actor) => new()
    {
        Name = ObjectNames.SecretAccess(actor),
        NamespaceProperty = actor.Namespace,
        Labels = Labels.Of(actor),
        OwnerReferences = OwnerReferences.Of(actor),
    };
}
