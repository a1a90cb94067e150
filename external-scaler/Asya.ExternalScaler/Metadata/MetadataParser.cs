using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Asya.ExternalScaler.Depth;

namespace Asya.ExternalScaler.Metadata;

/// <summary>Validates one trigger's metadata (docs/design.md §7) and resolves its transport component.</summary>
internal static partial class MetadataParser
{
    public static ScalerMetadata Parse(string scaledObjectNamespace, IReadOnlyDictionary<string, string> metadata, DepthEngine engine)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(engine);
        string? Get(string key) => metadata.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        var actor = Get(MetadataKeys.Actor) ?? throw new InvalidMetadataException(
            MetadataKeys.Actor, "metadata key 'actor' is required: the name of the actor whose queue drives this ScaledObject");
        Name(MetadataKeys.Actor, actor);
        var ns = Get(MetadataKeys.Namespace) ?? (string.IsNullOrWhiteSpace(scaledObjectNamespace) ? null : scaledObjectNamespace.Trim())
            ?? throw new InvalidMetadataException(
                MetadataKeys.Namespace, "metadata key 'namespace' is required when the ScaledObject reference carries no namespace");
        Name(MetadataKeys.Namespace, ns);

        var poller = Component(Get(MetadataKeys.Component), engine);
        var target = Number(MetadataKeys.TargetQueueLength, Get(MetadataKeys.TargetQueueLength), 5, allowZero: false);
        var activation = Number(MetadataKeys.ActivationQueueLength, Get(MetadataKeys.ActivationQueueLength), 0, allowZero: true);
        var countInFlight = Get(MetadataKeys.CountInFlight) is not { } flag || Bool(MetadataKeys.CountInFlight, flag);
        var queue = Asya.Runtime.Protocol.ActorNames.Queue(ns, actor);
        return new ScalerMetadata(actor, ns, poller, queue, MetricNameOf(queue), target, activation, countInFlight);
    }

    /// <summary>KEDA uses the name verbatim and the HPA lower-cases it: keep to <c>[a-z0-9-]</c>.</summary>
    public static string MetricNameOf(string queue)
    {
        var name = new StringBuilder(queue.Length);
        foreach (var c in queue.ToLowerInvariant())
        {
            name.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' ? c : '-');
        }

        return name.ToString();
    }

    private static DepthPoller Component(string? name, DepthEngine engine)
    {
        if (name is null)
        {
            return engine.DefaultComponent is { } only
                ? engine.Pollers[only]
                : throw new InvalidMetadataException(MetadataKeys.Component,
                    $"metadata key 'component' is required: the scaler has several transport components ({Known(engine)})");
        }

        return engine.Pollers.TryGetValue(name, out var poller)
            ? poller
            : throw new InvalidMetadataException(MetadataKeys.Component,
                $"metadata key 'component': no transport component named '{name}'; known: {Known(engine)}");
    }

    private static string Known(DepthEngine engine) => string.Join(", ", engine.Pollers.Keys.Order(StringComparer.Ordinal));

    private static void Name(string key, string value)
    {
        if (!NamePattern().IsMatch(value))
        {
            throw new InvalidMetadataException(key,
                $"metadata key '{key}': '{value}' is not a valid name (letters, digits, '-', '_' or '.', starting with a letter or digit, at most 200)");
        }
    }

    private static double Number(string key, string? text, double fallback, bool allowZero)
    {
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new InvalidMetadataException(key, $"metadata key '{key}': '{text}' is not a number");
        }

        if (value < 0 || (!allowZero && value == 0))
        {
            throw new InvalidMetadataException(key, $"metadata key '{key}': '{text}' must be {(allowZero ? "zero or more" : "greater than zero")}");
        }

        return value;
    }

    private static bool Bool(string key, string text) =>
        Asya.Components.Abstractions.MetadataReader.TryParseBool(text, out var value)
            ? value
            : throw new InvalidMetadataException(key, $"metadata key '{key}': '{text}' is not a boolean (true or false)");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
