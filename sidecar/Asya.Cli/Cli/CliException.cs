namespace Asya.Cli.Cli;

/// <summary>A failure to report in one line and exit with <see cref="ExitCode"/>; no stack trace is shown.</summary>
internal sealed class CliException : Exception
{
    public CliException()
    {
    }

    public CliException(string message)
        : this(message, ExitCodes.Usage)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = ExitCodes.Usage;
    }

    public CliException(string message, int exitCode)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; } = ExitCodes.Usage;

    /// <summary>Bad flags or arguments.</summary>
    public static CliException Usage(string message) => new(message, ExitCodes.Usage);

    /// <summary>A folder, manifest or field that cannot be used; the message names the file and field.</summary>
    public static CliException Config(string message) => new(message, ExitCodes.Usage);

    /// <summary>The mesh did not do what was asked (an actor did not start, no result in time).</summary>
    public static CliException Failed(string message) => new(message, ExitCodes.Failed);
}
