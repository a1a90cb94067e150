namespace Asya.Hosting;

/// <summary>
/// A flag, variable, file or manifest a process cannot start with; the message names it and says what is wrong.
/// Every Asya process reports it in one line and exits with <see cref="ExitCode"/>.
/// </summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>The exit code of every Asya process for a configuration or usage error.</summary>
    public const int ExitCode = 2;

    public ConfigurationException()
    {
    }

    public ConfigurationException(string message)
        : base(message)
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
