using System.Text.RegularExpressions;
using Asya.Testing;

namespace Asya.Deploy.Tests;

/// <summary>A Dockerfile read into instructions (continuation lines joined, comments dropped, ARG defaults applied).</summary>
internal sealed partial class Dockerfile
{
    private Dockerfile(string path, IReadOnlyList<(string Instruction, string Arguments)> lines)
    {
        Path = path;
        Lines = lines;
    }

    public static string Folder { get; } = System.IO.Path.Combine(RepoPaths.Root, "deploy", "docker");

    public string Path { get; }

    public IReadOnlyList<(string Instruction, string Arguments)> Lines { get; }

    public IEnumerable<string> Froms => Lines.Where(l => l.Instruction == "FROM").Select(l => l.Arguments.Split(' ')[0]);

    public static Dockerfile Read(string name)
    {
        var path = System.IO.Path.Combine(Folder, name);
        var joined = new List<string>();
        var current = string.Empty;
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            current += line.EndsWith('\\') ? line[..^1] + " " : line;
            if (!line.EndsWith('\\'))
            {
                joined.Add(current);
                current = string.Empty;
            }
        }

        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = new List<(string, string)>();
        foreach (var line in joined)
        {
            var parts = line.Split(' ', 2, StringSplitOptions.TrimEntries);
            var instruction = parts[0].ToUpperInvariant();
            var arguments = parts.Length > 1 ? ArgReference().Replace(parts[1], m => args.GetValueOrDefault(m.Groups[1].Value, m.Value)) : string.Empty;
            if (instruction == "ARG" && arguments.Split('=', 2) is [{ } argName, { } argValue])
            {
                args[argName] = argValue;
            }

            lines.Add((instruction, arguments));
        }

        return new Dockerfile(path, lines);
    }

    [GeneratedRegex(@"\$\{(\w+)\}")]
    private static partial Regex ArgReference();
}
