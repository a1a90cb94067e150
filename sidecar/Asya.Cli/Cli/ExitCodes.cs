namespace Asya.Cli.Cli;

/// <summary>Exit codes of every <c>asya</c> command.</summary>
internal static class ExitCodes
{
    /// <summary>Done; for <c>run</c>, the envelope succeeded.</summary>
    public const int Ok = 0;

    /// <summary>The envelope failed or was dead-lettered, timed out, or the mesh did not start.</summary>
    public const int Failed = 1;

    /// <summary>Usage or configuration error: bad flags, bad folder, bad manifest.</summary>
    public const int Usage = 2;

    /// <summary><c>result</c>: neither x-sink nor x-sump holds the id (yet); a script may poll again.</summary>
    public const int NotFound = 3;
}
