using System.Collections;

namespace Asya.Hosting;

/// <summary>The process environment as the flag readers take it.</summary>
public static class ProcessEnvironment
{
    public static IReadOnlyDictionary<string, string> Read()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                env[key] = value;
            }
        }

        return env;
    }
}
