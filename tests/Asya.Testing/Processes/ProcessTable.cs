using System.Globalization;

namespace Asya.Testing.Processes;

/// <summary>What Linux's /proc says about processes: children, liveness, resident memory, environment markers.</summary>
public static class ProcessTable
{
    /// <summary>True while the process exists and is not a zombie.</summary>
    public static bool IsAlive(int pid) => Stat(pid) is { } stat && stat.State != 'Z' && stat.State != 'X';

    /// <summary>Children and their children, recursively, of <paramref name="pid"/> (zombies left out).</summary>
    public static IReadOnlyList<int> Descendants(int pid)
    {
        var byParent = All().Where(s => s.State is not ('Z' or 'X')).ToLookup(s => s.ParentPid, s => s.Pid);
        var found = new List<int>();
        var next = new Queue<int>([pid]);
        while (next.TryDequeue(out var parent))
        {
            foreach (var child in byParent[parent])
            {
                found.Add(child);
                next.Enqueue(child);
            }
        }

        return found;
    }

    /// <summary>Resident set size (VmRSS) in MiB, or null when the process is gone.</summary>
    public static double? ResidentMegabytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null
                ? null
                : long.Parse(line["VmRSS:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Live processes whose environment holds <paramref name="entry"/> exactly (e.g. a per-test marker variable).</summary>
    public static IReadOnlyList<int> WithEnvironment(string entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var found = new List<int>();
        foreach (var stat in All())
        {
            if (stat.State is 'Z' or 'X')
            {
                continue;
            }

            try
            {
                var environ = File.ReadAllText($"/proc/{stat.Pid}/environ");
                if (environ.Split('\0').Contains(entry, StringComparer.Ordinal))
                {
                    found.Add(stat.Pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    /// <summary>
    /// Live processes whose command line matches; the line is given with a NUL before each argument (<c>"\0--actor\0echo\0"</c>
    /// matches exactly those two arguments in a row), as /proc/&lt;pid&gt;/cmdline keeps them.
    /// </summary>
    public static IReadOnlyList<int> WithCommandLine(Func<string, bool> match)
    {
        ArgumentNullException.ThrowIfNull(match);
        return [.. All().Where(s => s.State is not ('Z' or 'X') && match(RawCommandLine(s.Pid))).Select(s => s.Pid)];
    }

    /// <summary>Direct children of <paramref name="pid"/> (zombies left out).</summary>
    public static IReadOnlyList<int> Children(int pid) =>
        [.. All().Where(s => s.ParentPid == pid && s.State is not ('Z' or 'X')).Select(s => s.Pid)];

    /// <summary>The command line of a process, arguments joined by spaces ("" when gone).</summary>
    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static string RawCommandLine(int pid)
    {
        try
        {
            return "\0" + File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static IEnumerable<ProcStat> All()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Stat(pid) is { } stat)
            {
                yield return stat;
            }
        }
    }

    private static ProcStat? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // "pid (comm) S ppid …": comm may hold spaces and parentheses, so parse after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return new ProcStat(pid, fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture));
    }

    private sealed record ProcStat(int Pid, char State, int ParentPid);
}
