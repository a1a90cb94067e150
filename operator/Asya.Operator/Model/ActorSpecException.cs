namespace Asya.Operator.Model;

/// <summary>An AsyncActor spec the operator cannot build from; the message names the field and what is wrong.</summary>
public sealed class ActorSpecException : Exception
{
    public ActorSpecException()
    {
    }

    public ActorSpecException(string message)
        : base(message)
    {
    }

    public ActorSpecException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
