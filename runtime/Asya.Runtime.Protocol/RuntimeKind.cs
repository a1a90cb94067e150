namespace Asya.Runtime.Protocol;

/// <summary>What runs beside an actor's sidecar (AsyncActor <c>spec.runtime</c>).</summary>
public enum RuntimeKind
{
    /// <summary>The Python runtime (<c>asya_runtime.py</c>) calling the actor's handler; the default.</summary>
    Python,

    /// <summary>A .NET handler host in the actor's own image.</summary>
    Dotnet,

    /// <summary>No runtime: the crew actors, which the sidecar serves alone.</summary>
    None,
}
