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
}
