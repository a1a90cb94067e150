namespace Asya.Components.Aws;

/// <summary>An SQS call that failed after the SDK's retries; the message names component, operation, queue and endpoint.</summary>
public sealed class SqsTransportException : Exception
{
    public SqsTransportException()
    {
    }

    public SqsTransportException(string message)
        : base(message)
    {
    }

    public SqsTransportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
