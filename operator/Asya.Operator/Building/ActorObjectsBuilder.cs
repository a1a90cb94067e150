using Asya.Operator.Kube;
using Asya.Operator.Model;

namespace Asya.Operator.Building;

/// <summary>Every object owned by one actor, in apply order (what the Deployment mounts comes first).</summary>
public static class ActorObjectsBuilder
{
    public static IReadOnlyList<DesiredObject> Build(ActorModel actor, OperatorSettings settings, RenderedComponents components)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(components);
        var objects = new List<DesiredObject>
        {
            new(ResourceKind.Secrets, KubeJson.ToJson(ComponentsSecretBuilder.Build(actor, components))),
        };
        if (components.SecretNames.Count > 0)
        {
            objects.Add(new(ResourceKind.ServiceAccounts, KubeJson.ToJson(SecretAccessBuilder.ServiceAccount(actor))));
            objects.Add(new(ResourceKind.Roles, KubeJson.ToJson(SecretAccessBuilder.Role(actor, components.SecretNames))));
            objects.Add(new(ResourceKind.RoleBindings, KubeJson.ToJson(SecretAccessBuilder.RoleBinding(actor))));
        }

        objects.Add(new(ResourceKind.Deployments, KubeJson.ToJson(DeploymentBuilder.Build(actor, settings, components))));
        if (actor.Scaling.Enabled)
        {
            objects.Add(new(ResourceKind.ScaledObjects, ScaledObjectBuilder.Build(actor, settings, components.Transport)));
        }

        return objects;
    }
}
