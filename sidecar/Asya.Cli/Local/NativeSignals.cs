using System.Runtime.InteropServices;

namespace Asya.Cli.Local;

/// <summary>SIGTERM for children: <see cref="System.Diagnostics.Process.Kill()"/> only sends SIGKILL on Unix.</summary>
internal static partial class NativeSignals
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    /// <summary>Asks <paramref name="pid"/> to stop; false when the signal could not be sent (e.g. already gone).</summary>
    public static bool Terminate(int pid) => !OperatingSystem.IsWindows() && Kill(pid, SigTerm) == 0;

    /// <summary>SIGKILL to every process of the group led by <paramref name="leader"/> (a session started with setsid).</summary>
    public static bool KillGroup(int leader) => !OperatingSystem.IsWindows() && leader > 1 && Kill(-leader, SigKill) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
