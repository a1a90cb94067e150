using Asya.Operator.Model;
using k8s.Models;

namespace Asya.Operator.Building;

/// <summary>The AsyncActor as controller owner, so deleting it garbage-collects its objects.</summary>
public static class OwnerReferences
{
    /// <summary>Empty when the actor has no uid (rendered without a cluster by <c>asya manifests</c>).</summary>
    public static List<V1OwnerReference>? Of(ActorModel actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.Uid is null
            ? null
            : [
                new V1OwnerReference
                {
                    ApiVersion = ActorModelReader.ApiVersion,
                    Kind = ActorModelReader.Kind,
                    Name = actor.ObjectName,
                    Uid = actor.Uid,
                    BlockOwnerDeletion = true,
                    Controller = true,
                },
            ];
    }
}
