using System.Globalization;

namespace Asya.Components.Abstractions;

/// <summary>
/// Reads component metadata with Dapr's decoding rules (<c>kit/metadata.DecodeMetadata</c>): keys are
/// case-insensitive, booleans lenient (<c>y, yes, true, t, on, 1</c>; anything else is false), durations are Go
/// strings or bare seconds, lists comma-separated. Bad numbers and durations throw
/// <see cref="ComponentConfigurationException"/> naming component, key and value.
/// </summary>
public sealed class MetadataReader(ComponentSpec spec)
{
    /// <summary>The spec being read.</summary>
    public ComponentSpec Spec { get; } = spec;

    /// <summary>The raw value of the first present key among <paramref name="keys"/> (a key and its aliases).</summary>
    public string? GetString(params string[] keys)
    {
        foreach (var key in keys)
        {
            foreach (var (k, v) in Spec.Metadata)
            {
                if (string.Equals(k, key, StringComparison.OrdinalIgnoreCase) && v.Length > 0)
                {
                    return v;
                }
            }
        }

        return null;
    }

    /// <summary>A required value; missing → error naming the key.</summary>
    public string GetRequiredString(string key, params string[] aliases)
    {
        string[] keys = [key, .. aliases];
        return GetString(keys)
            ?? throw ComponentConfigurationException.InvalidValue(Spec, key, null, "this key is required");
    }

    /// <summary>A lenient boolean, as Dapr decodes it.</summary>
    public bool GetBool(string key, bool defaultValue) =>
        GetString(key) is { } text ? ParseBool(text) : defaultValue;

    /// <summary>An integer within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int GetInt(string key, int defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        if (GetString(key) is not { } text)
        {
            return defaultValue;
        }

        if (!int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw ComponentConfigurationException.InvalidValue(Spec, key, text, "must be an integer");
        }

        if (value < min || value > max)
        {
            throw ComponentConfigurationException.InvalidValue(Spec, key, text, $"must be between {min} and {max}");
        }

        return value;
    }

    /// <summary>A duration: a Go duration string (<c>1m30s</c>, <c>500ms</c>) or a bare number of seconds.</summary>
    public TimeSpan GetDuration(string key, TimeSpan defaultValue, bool bareNumberIsMilliseconds = false)
    {
        if (GetString(key) is not { } text)
        {
            return defaultValue;
        }

        if (!TryParseDuration(text, bareNumberIsMilliseconds, out var value) || value < TimeSpan.Zero)
        {
            throw ComponentConfigurationException.InvalidValue(
                Spec, key, text, "must be a duration such as 30s, 1m30s or 500ms, or a whole number of seconds");
        }

        return value;
    }

    /// <summary>Dapr's lenient boolean: a true word of <see cref="TryParseBool"/> is true, anything else false.</summary>
    public static bool ParseBool(string text) => TryParseBool(text, out var value) && value;

    /// <summary>
    /// The one boolean vocabulary of the mesh (flags, variables, metadata): <c>true yes y t on 1</c> and
    /// <c>false no n f off 0</c>, any case; anything else is not a boolean.
    /// </summary>
    public static bool TryParseBool(string text, out bool value)
    {
        ArgumentNullException.ThrowIfNull(text);
        bool? parsed = text.Trim().ToLowerInvariant() switch
        {
            "true" or "yes" or "y" or "t" or "on" or "1" => true,
            "false" or "no" or "n" or "f" or "off" or "0" => false,
            _ => null,
        };
        value = parsed ?? false;
        return parsed is not null;
    }

    /// <summary>
    /// Parses a Go duration (<c>300ms</c>, <c>1.5h</c>, <c>2h45m</c>, units ns us µs ms s m h) or a bare number, which is
    /// seconds (component metadata) or milliseconds (Dapr resiliency and backoff settings).
    /// </summary>
    public static bool TryParseDuration(string text, bool bareNumberIsMilliseconds, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var s = text.Trim();
        if (s.Length == 0)
        {
            return false;
        }

        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var bare))
        {
            value = bareNumberIsMilliseconds ? TimeSpan.FromMilliseconds(bare) : TimeSpan.FromSeconds(bare);
            return true;
        }

        var negative = false;
        var i = 0;
        if (s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            i = 1;
        }

        if (i == s.Length)
        {
            return false;
        }

        double ticks = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (i == start || !double.TryParse(s.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unitStart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.')
            {
                i++;
            }

            double? unitTicks = s[unitStart..i] switch
            {
                "ns" => TimeSpan.TicksPerMicrosecond / 1000.0,
                "us" or "µs" or "μs" => TimeSpan.TicksPerMicrosecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                _ => null,
            };
            if (unitTicks is null)
            {
                return false;
            }

            ticks += number * unitTicks.Value;
        }

        value = TimeSpan.FromTicks((long)(negative ? -ticks : ticks));
        return true;
    }
}
