using System.Globalization;

namespace Asya.Cli.Tests.EndToEnd;

/// <summary>Processes of this machine as /proc shows them: to find a sidecar and its runtime, and to kill one.</summary>
internal static class ProcessTable
{
    /// <summary>A process; <see cref="CommandLine"/> keeps the NUL separators of /proc/&lt;pid&gt;/cmdline.</summary>
    internal sealed record Entry(int Pid, int ParentPid, string CommandLine);

    public static IEnumerable<Entry> All()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            Entry? entry = null;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));

                // "pid (comm) state ppid ...": comm may hold spaces, so read after the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                entry = new Entry(pid, int.Parse(fields[1], CultureInfo.InvariantCulture), "\0" + File.ReadAllText(Path.Combine(dir, "cmdline")));
            }
            catch (IOException)
            {
            }

            if (entry is not null)
            {
                yield return entry;
            }
        }
    }

    public static Entry Single(Func<Entry, bool> match) => All().Single(match);

    public static IEnumerable<Entry> Children(int pid) => All().Where(p => p.ParentPid == pid);

    /// <summary>True while the process exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static void Kill(int pid) => System.Diagnostics.Process.GetProcessById(pid).Kill();
}
