using System.Text.Json.Nodes;
using Asya.Components;
using Asya.Operator.Model;
using Asya.Runtime.Protocol;

namespace Asya.Operator.Building;

/// <summary>
/// The <c>state.*</c> Component a crew actor keeps its records in (the sidecar's <c>--result-store</c>). x-pause writes
/// a paused task's checkpoint that x-resume, in another Deployment, reads back: the sidecar's embedded default is a file
/// inside one pod, so for these two it is <c>spec.stateStore</c>, else the only state store of the namespace, else a clear
/// error, and both must resolve to the same one. x-sink and x-sump keep their choice: <c>spec.stateStore</c> when set,
/// else nothing is rendered and the sidecar picks as before.
/// </summary>
public static class CrewStateStore
{
    /// <summary>The store of <paramref name="actor"/>, or null when none is rendered.</summary>
    /// <param name="actor">The actor.</param>
    /// <param name="available">Component documents of the namespace by name.</param>
    /// <param name="where">Where they were looked up, for messages.</param>
    public static string? Choose(ActorModel actor, IReadOnlyDictionary<string, JsonObject> available, string where)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(available);
        if (actor.StateStore is { } named)
        {
            if (!available.TryGetValue(named, out var doc))
            {
                throw new ComponentMissingException($"spec.stateStore: Component '{named}' not found in {where}");
            }

            var type = ComponentsRenderer.TypeOf(doc);
            return IsState(type)
                ? named
                : throw new ComponentMissingException($"spec.stateStore: Component '{named}' has type '{type}', not a state.* store");
        }

        if (!actor.IsPauseCrew)
        {
            return null;
        }

        var stores = available.Where(c => IsState(ComponentsRenderer.TypeOf(c.Value))).Select(c => c.Key).Order(StringComparer.Ordinal).ToList();
        return stores.Count switch
        {
            1 => stores[0],
            0 => throw new ComponentMissingException(
                $"spec.stateStore: {actor.Builtin} needs a state.* Component shared with {PartnerOf(actor.Builtin)} (the checkpoints of paused tasks), and {where} has none"),
            _ => throw new ComponentMissingException(
                $"spec.stateStore: not set and {where} has several state stores ({string.Join(", ", stores)}); name the one {ActorNames.Pause} and {ActorNames.Resume} share"),
        };
    }

    /// <summary>x-resume for x-pause and the other way round; null for every other role.</summary>
    public static string? PartnerOf(string? builtin) => builtin switch
    {
        ActorNames.Pause => ActorNames.Resume,
        ActorNames.Resume => ActorNames.Pause,
        _ => null,
    };

    /// <summary>Throws when <paramref name="actor"/> (x-pause or x-resume) and its partner do not keep checkpoints in one store.</summary>
    public static void CheckShared(ActorModel actor, string? store, ActorModel partner, string? partnerStore)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(partner);
        if (!string.Equals(store, partnerStore, StringComparison.Ordinal))
        {
            throw new ComponentMissingException(
                $"spec.stateStore: {actor.Builtin} uses '{store}' but {partner.Builtin} (AsyncActor '{partner.ObjectName}') uses '{partnerStore}'; "
                + $"{ActorNames.Resume} reads the checkpoints {ActorNames.Pause} writes, so both need the same state.* Component")
            {
                Reason = "StateStoreMismatch",
            };
        }
    }

    private static bool IsState(string type) => string.Equals(ComponentTypes.CategoryOf(type), ComponentTypes.State, StringComparison.Ordinal);
}
