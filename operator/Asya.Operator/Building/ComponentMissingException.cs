namespace Asya.Operator.Building;

/// <summary>A component the actor names is not in its namespace (or is of the wrong kind); the message says which and where.</summary>
public sealed class ComponentMissingException : Exception
{
    public ComponentMissingException()
    {
    }

    public ComponentMissingException(string message)
        : base(message)
    {
    }

    public ComponentMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The reason of the <c>TransportReady</c> condition: <c>ComponentNotFound</c>, or <c>ManifestInvalid</c> when a manifest does not parse.</summary>
    public string Reason { get; init; } = "ComponentNotFound";
}
