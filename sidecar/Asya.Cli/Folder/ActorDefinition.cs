namespace Asya.Cli.Folder;

/// <summary>One user actor of a folder, from an <c>AsyncActor</c> manifest or a plain handler file.</summary>
/// <param name="Name">Actor name (DNS label); its queue is <c>asya-&lt;namespace&gt;-&lt;name&gt;</c>.</param>
/// <param name="Handler"><c>module.function</c> or <c>module.Class.method</c>, loaded from the folder.</param>
/// <param name="SourceFile">Manifest or handler file, as shown to the user.</param>
internal sealed record ActorDefinition(string Name, string Handler, string SourceFile)
{
    /// <summary>In-flight envelopes (<c>spec.concurrency</c>).</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>Extra environment for the sidecar and its runtime (<c>spec.env</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];

    /// <summary><c>spec.resiliency.policies</c> as JSON, for ASYA_RESILIENCY_POLICIES.</summary>
    public string? ResiliencyPolicies { get; init; }

    /// <summary><c>spec.resiliency.rules</c> as JSON, for ASYA_RESILIENCY_RULES.</summary>
    public string? ResiliencyRules { get; init; }

    /// <summary><c>spec.resiliency.actorTimeout</c> as a Go duration, for ASYA_RESILIENCY_ACTOR_TIMEOUT.</summary>
    public string? ActorTimeout { get; init; }

    /// <summary><c>spec.transport</c>: name of the pubsub component to use, when several exist.</summary>
    public string? Transport { get; init; }
}
