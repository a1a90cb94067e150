using System.Text;

namespace Asya.Hosting.Flags;

/// <summary>
/// The flags of one process or command: reads <c>--name value</c>, <c>--name=value</c> and switches (flags win over their
/// variables) and renders the <c>--help</c> table from the same rows.
/// </summary>
public sealed class FlagTable
{
    private readonly Dictionary<string, FlagSpec> _byName;

    public FlagTable(string program, IEnumerable<FlagSpec> flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        Program = program;
        Flags = [.. flags];
        _byName = Flags.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    /// <summary>Prefix of this program's error lines (<c>asya-sidecar</c>, <c>asya run</c>).</summary>
    public string Program { get; }

    public IReadOnlyList<FlagSpec> Flags { get; }

    /// <summary>Whether arguments that are not flags are kept as positionals (else they are an error).</summary>
    public bool AllowPositionals { get; init; }

    /// <summary>Whether a flag that is not repeatable may be given twice (the last wins) instead of being an error.</summary>
    public bool LastWins { get; init; }

    public FlagSpec this[string name] => _byName.TryGetValue(name, out var spec)
        ? spec
        : throw new ArgumentException($"--{name} is not in the flag table of {Program}", nameof(name));

    /// <summary>True when <paramref name="args"/> asks for help (<c>--help</c> or <c>-h</c>).</summary>
    public static bool AsksForHelp(IEnumerable<string> args) => args.Any(a => a is "--help" or "-h");

    /// <summary>Reads <paramref name="args"/> against the table; unknown flags and missing values throw <see cref="ConfigurationException"/>.</summary>
    public FlagValues Read(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var given = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var positionals = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--" && AllowPositionals)
            {
                positionals.AddRange(args.Skip(i + 1));
                break;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                if (!AllowPositionals)
                {
                    throw new ConfigurationException($"unexpected argument '{arg}': flags look like --name value");
                }

                positionals.Add(arg);
                continue;
            }

            var name = arg[2..];
            string? value = null;
            if (name.IndexOf('=', StringComparison.Ordinal) is var eq and >= 0)
            {
                (name, value) = (name[..eq], name[(eq + 1)..]);
            }

            if (!_byName.TryGetValue(name, out var spec))
            {
                throw new ConfigurationException($"unknown flag --{name}; known flags: {string.Join(", ", Flags.Select(f => "--" + f.Name))}");
            }

            if (spec.IsSwitch)
            {
                value = value is null ? "true" : throw new ConfigurationException($"flag --{name} takes no value");
            }
            else if (value is null)
            {
                value = i + 1 < args.Count ? args[++i] : throw new ConfigurationException($"flag --{name} needs a value");
            }

            if (!given.TryGetValue(name, out var list))
            {
                given[name] = list = [];
            }
            else if (!spec.Repeatable && !LastWins)
            {
                throw new ConfigurationException($"flag --{name} given twice");
            }

            list.Add(value);
        }

        return new FlagValues(this, given, positionals, environment);
    }

    /// <summary>The <c>--help</c> text: <paramref name="usage"/>, then one line per flag (flag, variable, default, meaning).</summary>
    public string RenderHelp(string usage)
    {
        var text = new StringBuilder(usage.TrimEnd()).Append("\n\nflags (a flag wins over its variable):\n");
        var flagWidth = Flags.Max(f => f.Name.Length) + 2;
        var envWidth = Math.Max(8, Flags.Max(f => f.Env?.Length ?? 0));
        foreach (var flag in Flags)
        {
            var name = ("--" + flag.Name).PadRight(flagWidth + 1);
            var env = (flag.Env ?? "").PadRight(envWidth + 1);
            var meaning = flag.Default is null ? flag.Meaning : $"{flag.Meaning} (default {flag.Default})";
            text.Append("  ").Append(name).Append(' ').Append(env).Append(' ').Append(meaning).Append('\n');
        }

        return text.ToString();
    }
}
