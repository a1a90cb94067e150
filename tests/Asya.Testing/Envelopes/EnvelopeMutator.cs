using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Asya.Testing.Envelopes;

/// <summary>
/// Property-test input: random mutations of a valid envelope (nulls, wrong types, missing and extra keys at every level,
/// deep nesting, huge strings, odd Unicode, broken bytes). Seeded, so a failing case is reproduced from
/// <see cref="Seed"/> and its case number. Every string it invents is not a DNS label, so a mutated route can never
/// name a real actor: a correct sidecar ends each case in x-sink or x-sump.
/// </summary>
public sealed class EnvelopeMutator
{
    private const string DeepMarker = "__asya_deep_";
    private readonly Random _random;

    /// <summary>A generator whose cases follow from <paramref name="seed"/>.</summary>
    public EnvelopeMutator(int seed)
    {
        Seed = seed;
        _random = new Random(seed);
    }

    /// <summary>The seed to print when a case fails.</summary>
    public int Seed { get; }

    /// <summary>
    /// A valid envelope for actor <paramref name="actor"/> whose route ends after it, with headers, status and an extra
    /// key, so every part of the shape is there to be mutated.
    /// </summary>
    public static JsonObject ValidEnvelope(string id, string actor) => new()
    {
        ["id"] = id,
        ["route"] = new JsonObject { ["prev"] = new JsonArray("earlier"), ["curr"] = actor, ["next"] = new JsonArray() },
        ["headers"] = new JsonObject { ["trace"] = "t-1", ["nested"] = new JsonObject { ["k"] = new JsonArray(1, 2) } },
        ["payload"] = new JsonObject { ["text"] = "hello", ["items"] = new JsonArray(1, "two", new JsonObject { ["n"] = null }) },
        ["status"] = new JsonObject
        {
            ["phase"] = "pending",
            ["actor"] = actor,
            ["attempt"] = 1,
            ["max_attempts"] = 1,
            ["created_at"] = "2026-01-01T00:00:00.000Z",
            ["updated_at"] = "2026-01-01T00:00:00.000Z",
            ["error"] = new JsonObject { ["message"] = "m", ["type"] = "ValueError", ["mro"] = new JsonArray("Exception"), ["traceback"] = "" },
        },
        ["x-extra"] = new JsonObject { ["kept"] = true },
    };

    /// <summary>One case: 1–3 mutations of <paramref name="valid"/>, as queue bytes, and what was done (for the failure message).</summary>
    public MutatedEnvelope Next(JsonObject valid)
    {
        ArgumentNullException.ThrowIfNull(valid);
        var root = valid.DeepClone().AsObject();
        var steps = new List<string>();
        var deep = new Dictionary<string, int>(StringComparer.Ordinal);
        var count = 1 + _random.Next(3);
        for (var i = 0; i < count; i++)
        {
            steps.Add(MutateNode(root, deep));
        }

        var text = root.ToJsonString();
        foreach (var (marker, depth) in deep)
        {
            text = text.Replace("\"" + marker + "\"", Nested(depth), StringComparison.Ordinal);
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        if (_random.Next(12) == 0)
        {
            (bytes, var what) = BreakBytes(bytes);
            steps.Add(what);
        }

        return new MutatedEnvelope(bytes, string.Join("; ", steps));
    }

    private string MutateNode(JsonObject root, Dictionary<string, int> deep)
    {
        var targets = new List<(JsonNode Parent, string Path, object Key)>();
        Collect(root, "$", targets);
        var (parent, path, key) = targets[_random.Next(targets.Count)];
        switch (_random.Next(8))
        {
            case 0:
                Set(parent, key, null);
                return $"{path} = null";
            case 1:
                var wrong = WrongType();
                Set(parent, key, wrong);
                return $"{path} = {Describe(wrong)}";
            case 2 when parent is JsonObject obj:
                obj.Remove((string)key);
                return $"{path} removed";
            case 3 when parent is JsonObject obj:
                var extra = "zz_" + _random.Next(1000).ToString(CultureInfo.InvariantCulture);
                obj[extra] = WrongType();
                return $"{path} gets sibling '{extra}'";
            case 4:
                var depth = _random.Next(10) == 0 ? 600 + _random.Next(400) : 2 + _random.Next(200);
                var marker = DeepMarker + deep.Count.ToString(CultureInfo.InvariantCulture);
                deep[marker] = depth;
                Set(parent, key, marker);
                return $"{path} = nested {depth} deep";
            case 5:
                var size = _random.Next(4) == 0 ? 1_000_000 : 1_000 + _random.Next(100_000);
                Set(parent, key, new string('Z', size));
                return $"{path} = string of {size} chars";
            case 6:
                var odd = OddString();
                Set(parent, key, odd);
                return $"{path} = odd string";
            default:
                if (parent is JsonArray array)
                {
                    array.Add(WrongType());
                    return $"{path}: parent array gets an extra element";
                }

                Set(parent, key, new JsonArray(WrongType(), null));
                return $"{path} = array of mixed values";
        }
    }

    private static void Collect(JsonNode node, string path, List<(JsonNode, string, object)> targets)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    var childPath = path + "." + name;
                    targets.Add((obj, childPath, name));
                    if (child is not null)
                    {
                        Collect(child, childPath, targets);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var childPath = $"{path}[{i}]";
                    targets.Add((array, childPath, i));
                    if (array[i] is { } child)
                    {
                        Collect(child, childPath, targets);
                    }
                }

                break;
        }
    }

    private static void Set(JsonNode parent, object key, JsonNode? value)
    {
        if (parent is JsonObject obj)
        {
            obj[(string)key] = value;
        }
        else
        {
            parent.AsArray()[(int)key] = value;
        }
    }

    private JsonNode? WrongType() => _random.Next(7) switch
    {
        0 => JsonValue.Create(_random.Next(-5, 1_000_000)),
        1 => JsonValue.Create(_random.NextDouble() * 1e300),
        2 => JsonValue.Create(_random.Next(2) == 0),
        3 => JsonValue.Create("Not_An_Actor!" + _random.Next(100).ToString(CultureInfo.InvariantCulture)),
        4 => new JsonArray(JsonValue.Create(1), null, "X Y"),
        5 => new JsonObject { ["Q"] = null, ["R"] = new JsonArray() },
        _ => null,
    };

    private string OddString() => _random.Next(5) switch
    {
        0 => "",
        1 => "\u0000\u0001\u001f tab\t nl\n",
        2 => "emoji 🌍 ñ 世界 \u200b",
        3 => "Upper_Case.Name",
        _ => new string('-', 64 + _random.Next(10)),
    };

    private string Nested(int depth)
    {
        var open = _random.Next(2) == 0 ? "[" : "{\"d\":";
        var close = open == "[" ? "]" : "}";
        var builder = new StringBuilder((open.Length + close.Length) * depth + 4);
        for (var i = 0; i < depth; i++)
        {
            builder.Append(open);
        }

        builder.Append("null");
        for (var i = 0; i < depth; i++)
        {
            builder.Append(close);
        }

        return builder.ToString();
    }

    private (byte[] Bytes, string What) BreakBytes(byte[] bytes)
    {
        switch (_random.Next(3))
        {
            case 0:
                var cut = _random.Next(bytes.Length);
                return (bytes[..cut], $"truncated to {cut} bytes");
            case 1:
                var copy = (byte[])bytes.Clone();
                // Inside the text, not on a structural byte: replace a letter of some string with an invalid UTF-8 byte.
                var at = Array.FindLastIndex(copy, b => b is (byte)'e' or (byte)'o');
                if (at < 0)
                {
                    return (copy, "no letter to break");
                }

                copy[at] = 0xFF;
                return (copy, $"invalid UTF-8 byte at {at}");
            default:
                return ([.. bytes, .. " trailing"u8], "trailing garbage");
        }
    }

    private static string Describe(JsonNode? node) => node is null ? "null" : node.GetValueKind() switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => node.GetValueKind().ToString(),
    };
}

/// <summary>One property-test case: the bytes to put on a queue and the mutations that made them.</summary>
public sealed record MutatedEnvelope(byte[] Body, string Mutations);
