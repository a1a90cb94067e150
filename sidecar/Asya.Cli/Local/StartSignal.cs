namespace Asya.Cli.Local;

/// <summary>What one sidecar log entry tells the supervisor about that sidecar's start.</summary>
internal enum StartSignal
{
    None,

    /// <summary>Its runtime exited (and is being restarted).</summary>
    RuntimeExited,

    /// <summary>Its metrics port was taken by another process; it exits.</summary>
    MetricsPortTaken,
}
