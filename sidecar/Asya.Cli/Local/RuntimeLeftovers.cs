using System.Globalization;

namespace Asya.Cli.Local;

/// <summary>
/// Stops a runtime its sidecar left behind (e.g. the sidecar died after starting it): the runtime's ready file holds
/// its pid on the second line; the pid is signalled only while its command line still names the runtime file.
/// </summary>
internal static class RuntimeLeftovers
{
    public const string ReadyFileName = "runtime-ready";

    public static void Stop(string socketDir, string runtimeFile)
    {
        try
        {
            var lines = File.ReadAllLines(Path.Combine(socketDir, ReadyFileName));
            if (lines.Length < 2 || !int.TryParse(lines[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                return;
            }

            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            if (commandLine.Contains(Path.GetFileName(runtimeFile), StringComparison.Ordinal))
            {
                NativeSignals.Terminate(pid);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
