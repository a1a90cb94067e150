namespace Asya.Sidecar.Configuration;

/// <summary>A startup problem the operator must fix (bad flag, unknown component, unreadable manifest): exit code 2.</summary>
internal sealed class SidecarConfigurationException : Exception
{
    public SidecarConfigurationException()
    {
    }

    public SidecarConfigurationException(string message)
        : base(message)
    {
    }

    public SidecarConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
