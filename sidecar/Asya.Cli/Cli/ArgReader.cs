namespace Asya.Cli.Cli;

/// <summary>
/// Reads <c>--name value</c>, <c>--name=value</c>, boolean <c>--flag</c>s and positionals for one command.
/// Unknown options and missing values are usage errors naming the option.
/// </summary>
internal sealed class ArgReader
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly List<string> _positionals = [];

    public ArgReader(string command, IReadOnlyList<string> args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flagOptions)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(valueOptions);
        ArgumentNullException.ThrowIfNull(flagOptions);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                _positionals.AddRange(args.Skip(i + 1));
                break;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                _positionals.Add(arg);
                continue;
            }

            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? arg : arg[..eq];
            if (flagOptions.Contains(name))
            {
                if (eq >= 0)
                {
                    throw CliException.Usage($"asya {command}: option {name} takes no value");
                }

                _flags.Add(name);
            }
            else if (valueOptions.Contains(name))
            {
                string value;
                if (eq >= 0)
                {
                    value = arg[(eq + 1)..];
                }
                else if (i + 1 < args.Count)
                {
                    value = args[++i];
                }
                else
                {
                    throw CliException.Usage($"asya {command}: option {name} needs a value");
                }

                if (!_values.TryAdd(name, value))
                {
                    throw CliException.Usage($"asya {command}: option {name} given twice");
                }
            }
            else
            {
                var known = string.Join(", ", valueOptions.Concat(flagOptions).Order(StringComparer.Ordinal));
                throw CliException.Usage($"asya {command}: unknown option {name} (known: {known})");
            }
        }
    }

    public IReadOnlyList<string> Positionals => _positionals;

    public string? Get(string name) => _values.GetValueOrDefault(name);

    public bool Has(string name) => _flags.Contains(name);
}
