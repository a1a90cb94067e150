using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Components.Abstractions;
using Microsoft.Extensions.Logging;

namespace Asya.Components.Resiliency;

/// <summary>
/// Maps Dapr <c>Resiliency</c> documents (docs/design.md §5) onto <see cref="ResiliencySettings"/> for one actor.
/// <para>
/// Mapping. A handler call is what Dapr calls delivering a message to the app, so the target is, in order:
/// <c>targets.apps.&lt;appId&gt;</c>, then <c>targets.components.&lt;transport&gt;.inbound</c>. Retry and timeout are
/// resolved separately: the target's own reference, else the first defined default among
/// <c>DefaultApp…</c>, <c>DefaultPubsubComponentInbound…</c>, <c>DefaultComponentInbound…</c>,
/// <c>DefaultComponent…</c>, <c>Default…</c> (<c>RetryPolicy</c> / <c>TimeoutPolicy</c>).
/// </para>
/// <para>
/// A Dapr retry <c>{policy, duration, maxInterval, maxRetries}</c> becomes the single policy <c>default</c> (every error
/// matches it): <c>MaxAttempts = maxRetries + 1</c>, a negative <c>maxRetries</c> meaning unlimited (<c>int.MaxValue</c>).
/// <c>constant</c>: the wait is <c>duration</c> (default 5s). <c>exponential</c>: Dapr's fixed 500ms initial wait and ±50%
/// jitter, capped by <c>maxInterval</c> (default 60s); with unlimited retries Dapr's 15-minute maxElapsedTime becomes
/// <c>MaxDuration</c>. Dapr grows waits ×1.5, ours ×2: close enough for a migration, noted here on purpose.
/// The timeout (a <c>policies.timeouts</c> name or an inline duration) becomes <c>ActorTimeout</c>.
/// Bare integers are milliseconds, as in Dapr's resiliency decoder. Circuit breakers and <c>matching</c> are not supported
/// and only produce a warning.
/// </para>
/// <para>
/// Direction. In Dapr <c>targets.apps.X</c> governs service invocation calls <em>to</em> app X; the mesh has no service
/// invocation, and the nearest call to X is the delivery of an envelope to X's handler, so that is how it is read.
/// Targets with no counterpart are named in a warning instead of being dropped silently: <c>targets.actors</c> (Dapr
/// virtual actors, which the mesh does not host), <c>targets.components.*.outbound</c> (publishing: the transport
/// confirms and retries its own sends), <c>circuitBreakerScope</c> and <c>circuitBreakerCacheSize</c>.
/// </para>
/// </summary>
public static class DaprResiliencyReader
{
    /// <summary>Dapr's exponential backoff gives up after this long when retries are unlimited.</summary>
    public static readonly TimeSpan ExponentialMaxElapsed = TimeSpan.FromMinutes(15);

    private static readonly string[] DefaultPrefixes =
        ["DefaultApp", "DefaultPubsubComponentInbound", "DefaultComponentInbound", "DefaultComponent", "Default"];

    /// <summary>
    /// The settings for actor <paramref name="appId"/> reading from <paramref name="transportComponentName"/>, or <c>null</c>
    /// when no in-scope Resiliency document says anything about it.
    /// </summary>
    public static ResiliencySettings? Read(
        IEnumerable<ManifestDocument> documents, string appId, string transportComponentName, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var docs = documents
            .Where(d => d.Kind == "Resiliency" && d.ApiVersion.StartsWith("dapr.io/", StringComparison.Ordinal) && InScope(d, appId))
            .ToList();
        if (docs.Count == 0)
        {
            return null;
        }

        var timeouts = Collect(docs, "timeouts", "timeout policy");
        var retries = Collect(docs, "retries", "retry policy");
        var breakers = Collect(docs, "circuitBreakers", "circuit breaker");
        foreach (var doc in docs)
        {
            Validate(doc, timeouts, retries, breakers);
        }

        var (target, targetName, targetDoc) = FindTarget(docs, appId, transportComponentName);
        RetryPolicy? retry = null;
        if (Reference(target, "retry") is { } retryName)
        {
            retry = ToPolicy(retryName, retries[retryName], logger);
        }
        else if (FirstDefault(retries, "RetryPolicy") is { } defaultRetry)
        {
            retry = ToPolicy(defaultRetry, retries[defaultRetry], logger);
        }

        TimeSpan? timeout = null;
        if (Reference(target, "timeout") is { } timeoutRef)
        {
            timeout = ResolveTimeout(timeoutRef, timeouts, targetDoc!, targetName!);
        }
        else if (FirstDefault(timeouts, "TimeoutPolicy") is { } defaultTimeout)
        {
            timeout = ResolveTimeout(defaultTimeout, timeouts, timeouts[defaultTimeout].Doc, "default timeout");
        }

        if (logger is not null)
        {
            WarnUnmapped(docs, appId, transportComponentName, logger);
        }

        var breaker = Reference(target, "circuitBreaker") ?? FirstDefault(breakers, "CircuitBreakerPolicy");
        if (breaker is not null && logger is not null)
        {
            var file = Reference(target, "circuitBreaker") is not null ? targetDoc!.SourceFile : breakers[breaker].Doc.SourceFile;
            logger.ResiliencyWarning(
                $"{file}: circuit breaker '{breaker}' for app '{appId}' is not supported by the Asya sidecar; it is ignored");
        }

        if (retry is null && timeout is null)
        {
            return null;
        }

        return new ResiliencySettings
        {
            ActorTimeout = timeout is { } t && t > TimeSpan.Zero ? t : ResiliencySettings.DefaultActorTimeout,
            Policies = retry is null
                ? new Dictionary<string, RetryPolicy>()
                : new Dictionary<string, RetryPolicy> { [ResiliencySettings.DefaultPolicyName] = retry },
        };
    }

    /// <summary>Dapr targets the mesh cannot apply, each named once so none is ignored without a word.</summary>
    private static void WarnUnmapped(List<ManifestDocument> docs, string appId, string transport, ILogger logger)
    {
        foreach (var doc in docs)
        {
            if (Path(doc.Body, "spec", "targets", "actors") is JsonObject { Count: > 0 } actors)
            {
                logger.ResiliencyWarning(
                    $"{doc.Location}: targets.actors ({string.Join(", ", actors.Select(a => a.Key))}) not applied: they govern Dapr "
                    + $"virtual actors, which the mesh does not host; use targets.apps.<actor> for an actor's handler calls");
            }

            if (Path(doc.Body, "spec", "targets", "components", transport, "outbound") is JsonObject)
            {
                logger.ResiliencyWarning(
                    $"{doc.Location}: targets.components.{transport}.outbound not applied: sends to the broker are confirmed and "
                    + "retried by the transport itself; inbound (handler calls) is applied");
            }

            if (Path(doc.Body, "spec", "targets", "apps", appId) is JsonObject app)
            {
                foreach (var field in new[] { "circuitBreakerScope", "circuitBreakerCacheSize" })
                {
                    if (app[field] is not null)
                    {
                        logger.ResiliencyWarning(
                            $"{doc.Location}: targets.apps.{appId}.{field} not applied: circuit breakers are not supported by the Asya sidecar");
                    }
                }
            }
        }
    }

    private static bool InScope(ManifestDocument doc, string appId) =>
        doc.Body["scopes"] is not JsonArray { Count: > 0 } scopes
        || scopes.Any(s => s is JsonValue v && v.TryGetValue<string>(out var id) && id.Trim() == appId);

    private static Dictionary<string, (JsonNode? Node, ManifestDocument Doc)> Collect(
        List<ManifestDocument> docs, string section, string what)
    {
        var result = new Dictionary<string, (JsonNode? Node, ManifestDocument Doc)>(StringComparer.Ordinal);
        foreach (var doc in docs)
        {
            if (Path(doc.Body, "spec", "policies", section) is not JsonObject map)
            {
                continue;
            }

            foreach (var (name, node) in map)
            {
                if (result.TryGetValue(name, out var existing))
                {
                    throw new ComponentConfigurationException(
                        $"{doc.Location}: {what} '{name}' is also defined in {existing.Doc.Location}");
                }

                result[name] = (node, doc);
            }
        }

        return result;
    }

    /// <summary>Every target must refer to defined policies, as Dapr checks at load.</summary>
    private static void Validate(
        ManifestDocument doc,
        Dictionary<string, (JsonNode? Node, ManifestDocument Doc)> timeouts,
        Dictionary<string, (JsonNode? Node, ManifestDocument Doc)> retries,
        Dictionary<string, (JsonNode? Node, ManifestDocument Doc)> breakers)
    {
        if (Path(doc.Body, "spec", "targets") is not JsonObject targets)
        {
            return;
        }

        foreach (var (kind, node) in targets)
        {
            if (node is not JsonObject entries)
            {
                continue;
            }

            foreach (var (name, entry) in entries)
            {
                if (kind == "components" && entry is JsonObject directions)
                {
                    foreach (var direction in new[] { "inbound", "outbound" })
                    {
                        ValidateTarget(doc, $"targets.components.{name}.{direction}", directions[direction] as JsonObject, timeouts, retries, breakers);
                    }
                }
                else
                {
                    ValidateTarget(doc, $"targets.{kind}.{name}", entry as JsonObject, timeouts, retries, breakers);
                }
            }
        }
    }

    private static void ValidateTarget(
        ManifestDocument doc,
        string targetName,
        JsonObject? target,
        Dictionary<string, (JsonNode? Node, ManifestDocument Doc)> timeouts,
        Dictionary<string, (JsonNode? Node, ManifestDocument Doc)> retries,
        Dictionary<string, (JsonNode? Node, ManifestDocument Doc)> breakers)
    {
        if (Reference(target, "retry") is { } retry && !retries.ContainsKey(retry))
        {
            throw Undefined(doc, targetName, "retry policy", retry, retries.Keys);
        }

        if (Reference(target, "circuitBreaker") is { } breaker && !breakers.ContainsKey(breaker))
        {
            throw Undefined(doc, targetName, "circuit breaker", breaker, breakers.Keys);
        }

        if (Reference(target, "timeout") is { } timeout && !timeouts.ContainsKey(timeout)
            && !MetadataReader.TryParseDuration(timeout, bareNumberIsMilliseconds: true, out _))
        {
            throw Undefined(doc, targetName, "timeout policy", timeout, timeouts.Keys);
        }
    }

    private static ComponentConfigurationException Undefined(
        ManifestDocument doc, string targetName, string what, string name, IEnumerable<string> known)
    {
        var list = string.Join(", ", known.Order(StringComparer.Ordinal));
        return new ComponentConfigurationException(
            $"{doc.Location}: {targetName} refers to {what} '{name}', which is not defined in spec.policies; defined: {(list.Length == 0 ? "none" : list)}");
    }

    private static (JsonObject? Target, string? Name, ManifestDocument? Doc) FindTarget(
        List<ManifestDocument> docs, string appId, string transport)
    {
        foreach (var doc in docs)
        {
            if (Path(doc.Body, "spec", "targets", "apps", appId) is JsonObject app)
            {
                return (app, $"targets.apps.{appId}", doc);
            }
        }

        foreach (var doc in docs)
        {
            if (Path(doc.Body, "spec", "targets", "components", transport, "inbound") is JsonObject inbound)
            {
                return (inbound, $"targets.components.{transport}.inbound", doc);
            }
        }

        return (null, null, null);
    }

    /// <summary>Walks nested mappings; anything that is not a mapping on the way gives null.</summary>
    private static JsonNode? Path(JsonNode? node, params string[] names)
    {
        foreach (var name in names)
        {
            node = (node as JsonObject)?[name];
        }

        return node;
    }

    private static string? Reference(JsonObject? target, string field) =>
        target?[field] switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() is { Length: > 0 } s ? s : null,
            JsonValue v => v.ToJsonString(),
            _ => null,
        };

    private static string? FirstDefault(Dictionary<string, (JsonNode? Node, ManifestDocument Doc)> policies, string suffix) =>
        DefaultPrefixes.Select(p => p + suffix).FirstOrDefault(policies.ContainsKey);

    private static TimeSpan ResolveTimeout(
        string reference, Dictionary<string, (JsonNode? Node, ManifestDocument Doc)> timeouts, ManifestDocument doc, string targetName)
    {
        if (timeouts.TryGetValue(reference, out var named))
        {
            var where = $"{named.Doc.Location}: timeout policy '{reference}'";
            return named.Node is null
                ? throw new ComponentConfigurationException($"{where}: has no duration")
                : ResiliencyParser.Duration(named.Node, () => where, bareNumberIsMilliseconds: true);
        }

        return MetadataReader.TryParseDuration(reference, bareNumberIsMilliseconds: true, out var inline)
            ? inline
            : throw new ComponentConfigurationException($"{doc.Location}: {targetName}: timeout '{reference}' is not defined");
    }

    private static RetryPolicy ToPolicy(string name, (JsonNode? Node, ManifestDocument Doc) entry, ILogger? logger)
    {
        var where = $"{entry.Doc.Location}: retry policy '{name}'";
        var body = entry.Node as JsonObject
            ?? throw new ComponentConfigurationException($"{where}: must be a mapping with policy, duration, maxInterval, maxRetries");
        var kind = body["policy"] is JsonValue p && p.TryGetValue<string>(out var text) ? text.Trim().ToLowerInvariant() : "constant";
        if (kind is not ("constant" or "exponential"))
        {
            throw new ComponentConfigurationException($"{where}, field 'policy': '{kind}' must be constant or exponential");
        }

        var maxRetries = body["maxRetries"] is { } r ? ResiliencyParser.Integer(r, () => $"{where}, field 'maxRetries'") : -1;
        var unlimited = maxRetries < 0;
        if (body["matching"] is not null && logger is not null)
        {
            logger.ResiliencyWarning($"{where}: 'matching' (status codes) is not supported; every handler error is retried");
        }

        var maxAttempts = unlimited ? int.MaxValue : (int)Math.Min((long)maxRetries + 1, int.MaxValue);
        if (kind == "constant")
        {
            return new RetryPolicy
            {
                Name = ResiliencySettings.DefaultPolicyName,
                MaxAttempts = maxAttempts,
                Backoff = BackoffKind.Constant,
                InitialDelay = body["duration"] is { } d
                    ? ResiliencyParser.Duration(d, () => $"{where}, field 'duration'", bareNumberIsMilliseconds: true)
                    : TimeSpan.FromSeconds(5),
            };
        }

        return new RetryPolicy
        {
            Name = ResiliencySettings.DefaultPolicyName,
            MaxAttempts = maxAttempts,
            Backoff = BackoffKind.Exponential,
            InitialDelay = TimeSpan.FromMilliseconds(500),
            MaxInterval = body["maxInterval"] is { } m
                ? ResiliencyParser.Duration(m, () => $"{where}, field 'maxInterval'", bareNumberIsMilliseconds: true)
                : TimeSpan.FromSeconds(60),
            MaxDuration = unlimited ? ExponentialMaxElapsed : TimeSpan.Zero,
            Jitter = true,
        };
    }
}
