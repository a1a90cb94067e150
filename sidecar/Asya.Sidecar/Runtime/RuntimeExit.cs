namespace Asya.Sidecar.Runtime;

/// <summary>How a runtime process ended: its exit code (128 + n for signal n), whether the sidecar killed it, and its last stderr lines.</summary>
internal sealed record RuntimeExit(int Pid, int? ExitCode, bool KilledBySidecar, IReadOnlyList<string> StderrTail)
{
    private static readonly string[] SignalNames =
        ["", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM"];

    /// <summary>"exit code 3", "exit code 137 (signal 9, SIGKILL: e.g. the OOM killer)", or "exit status unknown".</summary>
    public string Describe()
    {
        if (ExitCode is not { } code)
        {
            return "exit status unknown";
        }

        // .NET reports a child killed by signal n as 128 + n (the shell convention).
        if (code > 128 && code - 128 < SignalNames.Length)
        {
            var signal = code - 128;
            var hint = signal == 9 ? ": e.g. the OOM killer" : signal == 11 ? ": e.g. a crash in a native library" : "";
            return $"exit code {code} (signal {signal}, {SignalNames[signal]}{hint})";
        }

        return $"exit code {code}";
    }
}
