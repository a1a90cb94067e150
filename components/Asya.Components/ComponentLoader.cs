using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Components.Abstractions;
using Microsoft.Extensions.Logging;

namespace Asya.Components;

/// <summary>
/// Loads Dapr <c>Component</c> manifests (components.md): filters by namespace and <c>scopes</c>, rejects duplicate
/// names and unknown types, resolves <c>secretKeyRef</c>, <c>envRef</c> and template tags, and warns about unknown
/// metadata keys. Secret stores are created when a <c>secretKeyRef</c> first needs them.
/// </summary>
public sealed class ComponentLoader(
    ComponentRegistry registry, IServiceProvider services, ILogger<ComponentLoader> logger, ComponentLoaderOptions options)
{
    /// <summary>The <c>apiVersion</c> of Component documents.</summary>
    public const string ApiVersion = "dapr.io/v1alpha1";

    private const string SecretStorePrefix = "secretstores.";

    // Read by Dapr's runtime rather than the component's own decoder, so no factory lists them.
    private static readonly string[] PubSubRuntimeKeys =
        ["consumerID", "allowedTopics", "protectedTopics", "publishingScopes", "subscriptionScopes"];

    private static readonly string[] StateRuntimeKeys = ["keyPrefix", "actorStateStore"];

    /// <summary>Reads the manifests under <paramref name="resourcePaths"/> and resolves the components for this app.</summary>
    public async Task<LoadedComponents> LoadAsync(IEnumerable<string> resourcePaths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resourcePaths);
        var paths = resourcePaths.ToList();
        foreach (var path in paths)
        {
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                throw new ComponentConfigurationException($"resources path '{Path.GetFullPath(path)}' does not exist");
            }
        }

        var set = ManifestReader.Read(paths);
        foreach (var diagnostic in set.Diagnostics)
        {
            if (diagnostic.Severity == ManifestSeverity.Error)
            {
                logger.ManifestError(diagnostic.ToString());
            }
            else
            {
                logger.ManifestWarning(diagnostic.ToString());
            }
        }

        var others = new List<ManifestDocument>();
        var raws = new List<RawComponent>();
        var seen = new Dictionary<string, ManifestDocument>(StringComparer.Ordinal);
        foreach (var document in set.Documents)
        {
            if (document.Kind != "Component" || document.ApiVersion != ApiVersion)
            {
                logger.OtherDocument(document.Location, document.Kind, document.ApiVersion);
                others.Add(document);
                continue;
            }

            if (string.IsNullOrWhiteSpace(document.Name))
            {
                throw new ComponentConfigurationException($"{document.Location}: Component has no metadata.name");
            }

            // Dapr: a manifest namespace only matters when the process has one, and an empty one is accepted anywhere.
            if (!string.IsNullOrEmpty(options.Namespace) && !string.IsNullOrEmpty(document.Namespace)
                && document.Namespace != options.Namespace)
            {
                logger.SkippedByNamespace(document.Name, document.SourceFile, document.Namespace, options.Namespace);
                continue;
            }

            // Like Dapr, names must be unique before scopes are applied.
            if (seen.TryGetValue(document.Name, out var first))
            {
                throw new ComponentConfigurationException(
                    $"component '{document.Name}' is defined twice: in {first.Location} and in {document.Location}");
            }

            seen.Add(document.Name, document);
            if (!InScope(document))
            {
                logger.SkippedByScope(document.Name, document.SourceFile, options.AppId);
                continue;
            }

            raws.Add(ReadRaw(document));
        }

        var loaded = new LoadedComponents(registry, services, logger, others);
        try
        {
            var resolution = new Resolution(this, loaded, raws);
            var specs = new List<ComponentSpec>(raws.Count);
            foreach (var raw in raws)
            {
                specs.Add(await resolution.SpecAsync(raw, cancellationToken));
            }

            loaded.Specs = specs;
            foreach (var spec in specs)
            {
                logger.ComponentLoaded(spec.Name, spec.Type, spec.SourceFile ?? "-");
            }
        }
        catch
        {
            await loaded.DisposeAsync();
            throw;
        }

        return loaded;
    }

    private bool InScope(ManifestDocument document)
    {
        if (document.Body["scopes"] is not JsonArray scopes || scopes.Count == 0)
        {
            return true;
        }

        return scopes.Any(s => s is JsonValue v && v.TryGetValue<string>(out var id) && id.Trim() == options.AppId);
    }

    private RawComponent ReadRaw(ManifestDocument document)
    {
        var name = document.Name!;
        var where = $"component '{name}' ({document.Location})";
        var spec = document.Body["spec"] as JsonObject;
        var type = AsText(spec?["type"])?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(type))
        {
            throw new ComponentConfigurationException($"{where}: spec.type is missing");
        }

        var version = AsText(spec!["version"])?.Trim().ToLowerInvariant() ?? string.Empty;
        var factory = registry.Resolve(type, version, where);
        var entries = spec["metadata"] switch
        {
            null => [],
            JsonArray array => array,
            _ => throw new ComponentConfigurationException($"{where}: spec.metadata must be a list of {{name, value}} entries"),
        };

        TimeSpan? initTimeout = null;
        if (AsText(spec["initTimeout"]) is { Length: > 0 } timeoutText)
        {
            if (MetadataReader.TryParseDuration(timeoutText, bareNumberIsMilliseconds: false, out var timeout) && timeout > TimeSpan.Zero)
            {
                initTimeout = timeout;
            }
            else
            {
                logger.BadInitTimeout(name, document.SourceFile, timeoutText);
            }
        }

        var secretStore = AsText((document.Body["auth"] as JsonObject)?["secretStore"])?.Trim();
        return new RawComponent(document, name, type, version, factory, entries, secretStore, initTimeout);
    }

    private void WarnUnknownKeys(ComponentSpec spec, IComponentFactory factory)
    {
        IEnumerable<string> known = factory.MetadataKeys;
        if (spec.Type.StartsWith("pubsub.", StringComparison.Ordinal))
        {
            known = known.Concat(PubSubRuntimeKeys);
        }
        else if (spec.Type.StartsWith("state.", StringComparison.Ordinal))
        {
            known = known.Concat(StateRuntimeKeys);
        }

        var knownSet = new HashSet<string>(known, StringComparer.OrdinalIgnoreCase);
        foreach (var key in spec.Metadata.Keys)
        {
            if (knownSet.Contains(key))
            {
                continue;
            }

            var nearest = KeySuggester.Nearest(key, knownSet);
            var hint = nearest is null ? string.Empty : $" (did you mean '{nearest}'?)";
            logger.UnknownMetadataKey($"{spec.Describe()}: unknown metadata key '{key}'{hint}; it is ignored");
        }
    }

    private string ApplyTemplates(string value, string where, string key)
    {
        if (!value.Contains('{', StringComparison.Ordinal))
        {
            return value;
        }

        while (value.Contains("{uuid}", StringComparison.Ordinal))
        {
            var at = value.IndexOf("{uuid}", StringComparison.Ordinal);
            value = string.Concat(value.AsSpan(0, at), Guid.NewGuid().ToString(), value.AsSpan(at + "{uuid}".Length));
        }

        if (value.Contains("{podName}", StringComparison.Ordinal))
        {
            if (string.IsNullOrEmpty(options.PodName))
            {
                throw new ComponentConfigurationException(
                    $"{where}: metadata '{key}' uses {{podName}} but the pod name is not known (set POD_NAME)");
            }

            value = value.Replace("{podName}", options.PodName, StringComparison.Ordinal);
        }

        // Dapr writes "<namespace>.<appId>"; without a namespace we use the app id alone rather than ".<appId>".
        var scopedId = string.IsNullOrEmpty(options.Namespace) ? options.AppId : $"{options.Namespace}.{options.AppId}";
        return value
            .Replace("{namespace}", scopedId, StringComparison.Ordinal)
            .Replace("{appID}", options.AppId, StringComparison.Ordinal);
    }

    private static string? AsText(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value => value.ToJsonString(),
        _ => null,
    };

    /// <summary>A <c>value</c> as Dapr converts it: strings unquoted, numbers and booleans as written, objects as JSON.</summary>
    private static string ValueText(JsonNode? node) => node switch
    {
        null => string.Empty,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    private sealed record RawComponent(
        ManifestDocument Document,
        string Name,
        string Type,
        string Version,
        IComponentFactory Factory,
        JsonArray Entries,
        string? SecretStore,
        TimeSpan? InitTimeout)
    {
        public string Where => $"component '{Name}' ({Document.SourceFile})";
    }

    /// <summary>One load pass: specs and secret stores resolved once each, secrets cached per store and name.</summary>
    private sealed class Resolution(ComponentLoader loader, LoadedComponents loaded, List<RawComponent> raws)
    {
        private readonly Dictionary<RawComponent, ComponentSpec> _specs = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<string> _resolving = new(StringComparer.Ordinal);
        private readonly Dictionary<(string Store, string Name), IReadOnlyDictionary<string, string>?> _secrets = [];

        public async Task<ComponentSpec> SpecAsync(RawComponent raw, CancellationToken cancellationToken)
        {
            if (_specs.TryGetValue(raw, out var done))
            {
                return done;
            }

            if (!_resolving.Add(raw.Name))
            {
                throw new ComponentConfigurationException(
                    $"{raw.Where}: secret stores refer to each other in a cycle through auth.secretStore");
            }

            var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var secretKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < raw.Entries.Count; i++)
            {
                if (raw.Entries[i] is not JsonObject entry || AsText(entry["name"]) is not { Length: > 0 } key)
                {
                    throw new ComponentConfigurationException(
                        $"{raw.Where}: spec.metadata[{i}] must be a mapping with a 'name' and a 'value', 'secretKeyRef' or 'envRef'");
                }

                if (metadata.ContainsKey(key))
                {
                    throw new ComponentConfigurationException(
                        $"{raw.Where}: metadata key '{key}' is given twice (keys are case-insensitive)");
                }

                var value = ValueText(entry["value"]);
                if (entry["secretKeyRef"] is JsonObject reference && AsText(reference["name"]) is { Length: > 0 } secretName)
                {
                    var field = AsText(reference["key"]) is { Length: > 0 } k ? k : secretName;
                    value = await SecretAsync(raw, key, secretName, field, cancellationToken);
                    secretKeys.Add(key);
                }
                else if (value.Length == 0 && AsText(entry["envRef"]) is { Length: > 0 } variable)
                {
                    if (!EnvironmentPolicy.IsAllowed(variable))
                    {
                        throw new ComponentConfigurationException(
                            $"{raw.Where}: metadata '{key}' has envRef '{variable}', which is not allowed ({EnvironmentPolicy.Rule})");
                    }

                    value = Environment.GetEnvironmentVariable(variable) ?? string.Empty;
                    if (value.Length == 0)
                    {
                        loader.LogEnvRefUnset(raw, variable, key);
                    }

                    // Environment values are often credentials, so they are masked like secrets.
                    secretKeys.Add(key);
                }

                metadata[key] = loader.ApplyTemplates(value, raw.Where, key);
            }

            var spec = new ComponentSpec(raw.Name, raw.Type, raw.Version, metadata)
            {
                SourceFile = raw.Document.SourceFile,
                SecretKeys = secretKeys,
            };
            if (raw.InitTimeout is { } timeout)
            {
                loaded.SetInitTimeout(spec, timeout);
            }

            loader.WarnUnknownKeys(spec, raw.Factory);
            _specs[raw] = spec;
            _resolving.Remove(raw.Name);
            return spec;
        }

        private async Task<string> SecretAsync(RawComponent raw, string key, string secretName, string field, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(raw.SecretStore))
            {
                throw new ComponentConfigurationException(
                    $"{raw.Where}: metadata '{key}' uses secretKeyRef '{secretName}' but auth.secretStore is not set");
            }

            var storeName = raw.SecretStore;
            if (!_secrets.TryGetValue((storeName, secretName), out var secret))
            {
                var storeRaw = raws.FirstOrDefault(r => r.Name == storeName && r.Type.StartsWith(SecretStorePrefix, StringComparison.Ordinal))
                    ?? throw new ComponentConfigurationException(
                        $"{raw.Where}: metadata '{key}' refers to secret store '{storeName}', which is not defined for this app "
                        + "(no secretstores.* component of that name in scope)");
                var storeSpec = await SpecAsync(storeRaw, cancellationToken);
                var store = await loaded.CreateAsync<ISecretStore>(storeSpec, cancellationToken);
                try
                {
                    secret = await store.GetSecretAsync(secretName, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    throw new ComponentConfigurationException(
                        $"{raw.Where}: metadata '{key}': reading secret '{secretName}' from secret store '{storeName}' failed: {e.Message}", e);
                }

                _secrets[(storeName, secretName)] = secret;
            }

            if (secret is null)
            {
                throw new ComponentConfigurationException(
                    $"{raw.Where}: metadata '{key}': secret '{secretName}' not found in secret store '{storeName}'");
            }

            return secret.TryGetValue(field, out var value)
                ? value
                : throw new ComponentConfigurationException(
                    $"{raw.Where}: metadata '{key}': secret '{secretName}' in secret store '{storeName}' has no key '{field}'");
        }
    }

    private void LogEnvRefUnset(RawComponent raw, string variable, string key) =>
        logger.EnvRefUnset(raw.Name, raw.Document.SourceFile, variable, key);
}
