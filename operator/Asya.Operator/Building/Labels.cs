using Asya.Operator.Model;

namespace Asya.Operator.Building;

/// <summary>Label and annotation keys, and the label sets of an actor's objects.</summary>
public static class Labels
{
    public const string Actor = "asya.sh/actor";
    public const string AsyncActor = "asya.sh/asyncactor";
    public const string Components = "asya.sh/components";
    public const string SpecHash = "asya.sh/spec-hash";
    public const string ComponentsHash = "asya.sh/components-hash";
    public const string Name = "app.kubernetes.io/name";
    public const string Instance = "app.kubernetes.io/instance";
    public const string Component = "app.kubernetes.io/component";
    public const string PartOf = "app.kubernetes.io/part-of";
    public const string ManagedBy = "app.kubernetes.io/managed-by";

    /// <summary>Labels of every object made for <paramref name="actor"/>.</summary>
    public static Dictionary<string, string> Of(ActorModel actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Name] = actor.Actor,
            [Instance] = actor.ObjectName,
            [Component] = actor.IsCrew ? "crew" : "actor",
            [PartOf] = "asya",
            [ManagedBy] = OperatorSettings.FieldManager,
            [Actor] = actor.Actor,
            [AsyncActor] = actor.ObjectName,
        };
    }

    /// <summary>The Deployment's selector: stable for the life of the actor (selectors are immutable).</summary>
    public static Dictionary<string, string> Selector(ActorModel actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return new Dictionary<string, string>(StringComparer.Ordinal) { [Actor] = actor.Actor, [Instance] = actor.ObjectName };
    }
}
