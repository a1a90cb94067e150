using System.Text.Json.Nodes;

namespace Asya.Testing.Kubernetes;

/// <summary>The label selector subset clients send: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k</c>, <c>!k</c>, comma-separated.</summary>
internal sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _tests = [];

    private LabelSelector()
    {
    }

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        foreach (var raw in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (raw.Contains("!=", StringComparison.Ordinal))
            {
                var (k, v) = Split(raw, "!=");
                selector._tests.Add(l => !l.TryGetValue(k, out var x) || x != v);
            }
            else if (raw.Contains('=', StringComparison.Ordinal))
            {
                var (k, v) = Split(raw, raw.Contains("==", StringComparison.Ordinal) ? "==" : "=");
                selector._tests.Add(l => l.TryGetValue(k, out var x) && x == v);
            }
            else if (raw.StartsWith('!'))
            {
                var k = raw[1..].Trim();
                selector._tests.Add(l => !l.ContainsKey(k));
            }
            else
            {
                selector._tests.Add(l => l.ContainsKey(raw));
            }
        }

        return selector;
    }

    public bool Matches(JsonObject obj)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["metadata"]?["labels"] is JsonObject map)
        {
            foreach (var (key, value) in map)
            {
                labels[key] = value?.GetValue<string>() ?? string.Empty;
            }
        }

        return _tests.All(t => t(labels));
    }

    private static (string Key, string Value) Split(string text, string op)
    {
        var at = text.IndexOf(op, StringComparison.Ordinal);
        return (text[..at].Trim(), text[(at + op.Length)..].Trim());
    }
}
