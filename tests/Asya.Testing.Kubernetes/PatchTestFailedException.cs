namespace Asya.Testing.Kubernetes;

/// <summary>A JSON patch <c>test</c> operation did not match (HTTP 422 from the fake server).</summary>
public sealed class PatchTestFailedException : Exception
{
    public PatchTestFailedException()
    {
    }

    public PatchTestFailedException(string message)
        : base(message)
    {
    }

    public PatchTestFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
