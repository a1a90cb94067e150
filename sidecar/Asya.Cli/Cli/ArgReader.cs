using Asya.Hosting;
using Asya.Hosting.Flags;

namespace Asya.Cli.Cli;

/// <summary>
/// Reads <c>--name value</c>, <c>--name=value</c>, switches and positionals for one command through the shared flag
/// table (<see cref="CliFlags"/>). Unknown options, missing values and repeats are configuration errors naming the option.
/// </summary>
internal sealed class ArgReader
{
    private readonly FlagValues _values;

    public ArgReader(string command, IReadOnlyList<string> args)
    {
        try
        {
            _values = CliFlags.For(command).Read(args, new Dictionary<string, string>());
        }
        catch (ConfigurationException ex)
        {
            throw new ConfigurationException($"asya {command}: {ex.Message}", ex);
        }
    }

    public IReadOnlyList<string> Positionals => _values.Positionals;

    /// <summary>Typed getters (durations, numbers) with the table's defaults.</summary>
    public FlagValues Values => _values;

    /// <summary>The value given (no default applied), or null.</summary>
    public string? Get(string name) => _values.Has(name.TrimStart('-')) ? _values.Get(name.TrimStart('-')) : null;

    public bool Has(string name) => _values.Has(name.TrimStart('-'));
}
