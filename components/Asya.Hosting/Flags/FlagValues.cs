using System.Globalization;
using Asya.Components.Abstractions;

namespace Asya.Hosting.Flags;

/// <summary>
/// What one command line and environment say, read against a <see cref="FlagTable"/>. Every getter falls back from the
/// flag to its variable to the table's default, and every bad value throws a <see cref="ConfigurationException"/> that
/// names the flag and its variable.
/// </summary>
public sealed class FlagValues
{
    private readonly FlagTable _table;
    private readonly Dictionary<string, List<string>> _given;
    private readonly IReadOnlyDictionary<string, string> _environment;

    internal FlagValues(FlagTable table, Dictionary<string, List<string>> given, List<string> positionals, IReadOnlyDictionary<string, string> environment)
    {
        _table = table;
        _given = given;
        _environment = environment;
        Positionals = positionals;
    }

    public IReadOnlyList<string> Positionals { get; }

    /// <summary>The flag and its variable as error messages name them.</summary>
    public string Where(string name) => _table[name].Where;

    /// <summary>The last value given by flag, else the variable (when not empty), else the table's default.</summary>
    public string? Get(string name)
    {
        var spec = _table[name];
        if (_given.TryGetValue(name, out var values))
        {
            return values[^1];
        }

        return spec.Env is { } env && _environment.TryGetValue(env, out var value) && value.Length > 0 ? value : spec.Default;
    }

    /// <summary>True when the flag (a switch, typically) was given on the command line.</summary>
    public bool Has(string name) => _table[name] is not null && _given.ContainsKey(name);

    /// <summary>Every value given by flag, else the variable split at <c>:</c> (a path list), else none.</summary>
    public IReadOnlyList<string> GetPaths(string name) =>
        _given.TryGetValue(name, out var values)
            ? values
            : Get(name) is { } joined ? joined.Split(':', StringSplitOptions.RemoveEmptyEntries) : [];

    public int GetInt(string name, int min, int max)
    {
        var text = Get(name) ?? throw NoDefault(name);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ConfigurationException($"{Where(name)}: '{text}' must be a whole number between {min} and {max}");
    }

    /// <summary>A duration through the one parser of the mesh (<c>500ms</c>, <c>30s</c>, <c>1m30s</c>, bare seconds).</summary>
    public TimeSpan GetDuration(string name, bool allowZero = false) => GetDurationOrNull(name, allowZero) ?? throw NoDefault(name);

    /// <summary>Like <see cref="GetDuration"/>, null when neither flag, variable nor default gives one.</summary>
    public TimeSpan? GetDurationOrNull(string name, bool allowZero = false)
    {
        if (Get(name) is not { } text)
        {
            return null;
        }

        if (!MetadataReader.TryParseDuration(text, bareNumberIsMilliseconds: false, out var value) || value < TimeSpan.Zero)
        {
            throw new ConfigurationException($"{Where(name)}: '{text}' is not a duration such as 30s, 5m or 1m30s");
        }

        return value > TimeSpan.Zero || allowZero
            ? value
            : throw new ConfigurationException($"{Where(name)}: '{text}' must be longer than zero");
    }

    /// <summary>A boolean in the mesh's one vocabulary (<see cref="MetadataReader.TryParseBool"/>).</summary>
    public bool GetBool(string name) => GetBool(name, Get(name) ?? throw NoDefault(name));

    /// <summary>A log level name (see <see cref="LogLevels"/>), lower-cased.</summary>
    public string GetLogLevel(string name)
    {
        var text = (Get(name) ?? throw NoDefault(name)).ToLowerInvariant();
        return LogLevels.TryParse(text, out _)
            ? text
            : throw new ConfigurationException($"{Where(name)}: '{text}' must be {LogLevels.Vocabulary}");
    }

    /// <summary>A <c>host:port</c> listener address, or null for <c>off</c> when <paramref name="allowOff"/>.</summary>
    public string? GetListenAddress(string name, bool allowOff)
    {
        var text = Get(name) ?? throw NoDefault(name);
        if (allowOff && string.Equals(text, "off", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return ListenAddress.TryParse(text, out _, out _)
            ? text
            : throw new ConfigurationException($"{Where(name)}: '{text}' is not host:port (port 0..65535){(allowOff ? " or 'off'" : "")}");
    }

    /// <summary>An <c>http://</c> or <c>https://</c> base URL with a host (<see cref="HttpBaseUrl"/>), without trailing slashes; null when unset.</summary>
    public string? GetHttpUrl(string name) =>
        Get(name) is not { Length: > 0 } text
            ? null
            : HttpBaseUrl.Of(text) ?? throw new ConfigurationException($"{Where(name)}: '{text}' is not an http:// or https:// URL with a host");

    private bool GetBool(string name, string text) =>
        MetadataReader.TryParseBool(text, out var value)
            ? value
            : throw new ConfigurationException($"{Where(name)}: '{text}' must be true or false");

    private ArgumentException NoDefault(string name) => new($"--{name} has no default in the flag table of {_table.Program}", nameof(name));
}
