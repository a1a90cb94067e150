namespace Asya.Gateway.Flows;

/// <summary>The flows loaded at one time, by name, and the actors they name (what <c>actor</c> and <c>route</c> submits may use).</summary>
internal sealed class FlowSet
{
    private readonly Dictionary<string, FlowDefinition> _byName;
    private readonly HashSet<string> _actors;

    public FlowSet(IEnumerable<FlowDefinition> flows)
    {
        ArgumentNullException.ThrowIfNull(flows);
        Flows = [.. flows];
        _byName = Flows.ToDictionary(f => f.Name, StringComparer.Ordinal);
        _actors = new HashSet<string>(Flows.SelectMany(f => f.Route), StringComparer.Ordinal);
    }

    public static FlowSet Empty { get; } = new([]);

    public IReadOnlyList<FlowDefinition> Flows { get; }

    public FlowDefinition? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// Whether <paramref name="actor"/> may be submitted to directly: an actor some flow names. With no flows at all the
    /// gateway knows no actors, so every valid name is accepted (its queue waits for a reader).
    /// </summary>
    public bool IsKnownActor(string actor) => Flows.Count == 0 || _actors.Contains(actor);
}
