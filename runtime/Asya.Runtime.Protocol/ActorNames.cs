using System.Text.RegularExpressions;

namespace Asya.Runtime.Protocol;

/// <summary>
/// The mesh's naming rules, in one place for the sidecar, CLI, scaler and operator: actor names and namespaces are DNS
/// labels (they become queue names, Kubernetes names and label values), every actor has the queue
/// <c>asya-&lt;namespace&gt;-&lt;actor&gt;</c>, the terminal crew actors are <c>x-sink</c> and <c>x-sump</c>, and
/// <c>x-pause</c> / <c>x-resume</c> are built in beside them.
/// </summary>
public static partial class ActorNames
{
    /// <summary>Longest actor name.</summary>
    public const int MaxLength = 63;

    /// <summary>The crew actor that stores every finished envelope.</summary>
    public const string Sink = "x-sink";

    /// <summary>The crew actor that keeps envelopes the mesh could not handle (parse errors, wrong queue).</summary>
    public const string Sump = "x-sump";

    /// <summary>The crew actor that checkpoints a task and stops it until it is resumed (human in the loop).</summary>
    public const string Pause = "x-pause";

    /// <summary>The crew actor that merges a resume input into a paused task's checkpoint and routes it on.</summary>
    public const string Resume = "x-resume";

    /// <summary>Namespace of an actor that names none.</summary>
    public const string DefaultNamespace = "default";

    /// <summary>True for a DNS label: lower-case letters, digits and '-', not starting or ending with '-', at most 63 characters.</summary>
    public static bool IsValid(string? name) => name is { Length: > 0 and <= MaxLength } && DnsLabel().IsMatch(name);

    /// <summary>True for <see cref="Sink"/> and <see cref="Sump"/>, where every route ends (the terminal crew).</summary>
    public static bool IsCrew(string? name) => name is Sink or Sump;

    /// <summary>
    /// True for every crew actor the sidecar runs without a runtime (<c>--builtin</c>, <c>spec.builtin</c>): the terminal
    /// crew and <see cref="Pause"/> / <see cref="Resume"/>, which keep a task's checkpoint in a state store between them.
    /// </summary>
    public static bool IsBuiltin(string? name) => IsCrew(name) || name is Pause or Resume;

    /// <summary>The queue of <paramref name="actor"/> in namespace <paramref name="ns"/>: <c>asya-&lt;ns&gt;-&lt;actor&gt;</c>.</summary>
    public static string Queue(string ns, string actor) => $"asya-{ns}-{actor}";

    // \z, not $: $ would also accept a name ending in a newline.
    [GeneratedRegex(@"^[a-z0-9]([a-z0-9-]*[a-z0-9])?\z")]
    private static partial Regex DnsLabel();
}
