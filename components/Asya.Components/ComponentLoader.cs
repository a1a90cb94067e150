using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Components.Abstractions;
using Microsoft.Extensions.Logging;

namespace Asya.Components;

/// <summary>
/// Loads Dapr <c>Component</c> manifests the way daprd 1.18 does (docs/design.md §6): field names of the manifest in any
/// casing, filters by namespace and <c>scopes</c>, rejects duplicate names and unknown types, resolves
/// <c>secretKeyRef</c>, <c>envRef</c> and template tags, and warns about metadata keys the component's Dapr struct does
/// not have. Every document gets a <see cref="ComponentOutcome"/>; <see cref="LoadAsync"/> fails on any error (an
/// unparsable file included), <see cref="CheckAsync"/> returns them all for <c>asya components check</c>.
/// </summary>
public sealed class ComponentLoader(
    ComponentRegistry registry, IServiceProvider services, ILogger<ComponentLoader> logger, ComponentLoaderOptions options)
{
    /// <summary>The <c>apiVersion</c> of Component documents.</summary>
    public const string ApiVersion = "dapr.io/v1alpha1";

    private const string SecretStorePrefix = "secretstores.";

    private static readonly string[] TemplateTags = ["uuid", "podName", "namespace", "appID"];

    /// <summary>
    /// Reads the manifests under <paramref name="resourcePaths"/> and resolves the components for this app; any error
    /// (unparsable file, invalid component) throws <see cref="ComponentConfigurationException"/> listing all of them.
    /// </summary>
    public Task<LoadedComponents> LoadAsync(IEnumerable<string> resourcePaths, CancellationToken cancellationToken) =>
        LoadAsync(ReadPaths(resourcePaths), cancellationToken);

    /// <summary>
    /// Resolves the components of documents already in memory (see <see cref="ManifestReader.Parse"/>), as
    /// <see cref="LoadAsync(IEnumerable{string}, CancellationToken)"/> does those of files: no file is written or read.
    /// </summary>
    public async Task<LoadedComponents> LoadAsync(ManifestSet manifests, CancellationToken cancellationToken)
    {
        var loaded = await ResolveAsync(manifests, checkOnly: false, cancellationToken);
        var report = loaded.Report;
        foreach (var warning in report.Warnings)
        {
            logger.ManifestWarning(warning);
        }

        foreach (var skipped in report.Components.Where(c => c.Status == ComponentStatus.Skipped))
        {
            logger.ComponentSkipped(skipped.Name, skipped.Location, skipped.Reason ?? string.Empty);
        }

        if (report.HasErrors)
        {
            await loaded.DisposeAsync();
            var errors = report.Errors;
            throw new ComponentConfigurationException(errors.Count == 1
                ? errors[0]
                : $"{errors.Count} manifest errors:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors));
        }

        foreach (var spec in loaded.Specs)
        {
            logger.ComponentLoaded(spec.Name, spec.Type, spec.SourceFile ?? "-");
        }

        return loaded;
    }

    /// <summary>
    /// Loads like <see cref="LoadAsync"/> but never throws for a manifest problem: the report of the returned object says
    /// what loaded, what was skipped and why, and what is wrong. Secret stores are opened (a file or the environment);
    /// one that cannot be reached here leaves its references unchecked, with a warning. Nothing else is connected.
    /// </summary>
    public Task<LoadedComponents> CheckAsync(IEnumerable<string> resourcePaths, CancellationToken cancellationToken) =>
        ResolveAsync(ReadPaths(resourcePaths), checkOnly: true, cancellationToken);

    private static ManifestSet ReadPaths(IEnumerable<string> resourcePaths)
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

        return ManifestReader.Read(paths);
    }

    private async Task<LoadedComponents> ResolveAsync(ManifestSet set, bool checkOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(set);
        var others = new List<ManifestDocument>();
        var entries = new List<Entry>();
        var seen = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var document in set.Documents)
        {
            if (document.Kind != "Component")
            {
                logger.OtherDocument(document.Location, document.Kind, document.ApiVersion);
                others.Add(document);
                continue;
            }

            var entry = new Entry(document);
            entries.Add(entry);
            Classify(entry, seen);
        }

        var loaded = new LoadedComponents(registry, services, logger, options.AppId, others);
        try
        {
            var resolution = new Resolution(this, loaded, entries, checkOnly);
            foreach (var entry in entries.Where(e => e.Raw is not null && e.Status == ComponentStatus.Loaded))
            {
                await resolution.ResolveAsync(entry, cancellationToken);
            }

            loaded.Specs = [.. entries.Where(e => e.Status == ComponentStatus.Loaded && e.Spec is not null).Select(e => e.Spec!)];
            loaded.Report = new ManifestReport([.. entries.Select(e => e.ToOutcome())], set.Diagnostics);
        }
        catch
        {
            await loaded.DisposeAsync();
            throw;
        }

        return loaded;
    }

    private void Classify(Entry entry, Dictionary<string, Entry> seen)
    {
        var document = entry.Document;
        if (document.ApiVersion != ApiVersion)
        {
            // daprd skips these without a word; a Component that silently vanishes is worth a line.
            entry.Skip($"apiVersion '{document.ApiVersion}' is not {ApiVersion} (daprd does not load it either)");
            return;
        }

        if (string.IsNullOrWhiteSpace(document.Name))
        {
            entry.Fail("Component has no metadata.name");
            return;
        }

        // Dapr: a manifest namespace only matters when the process has one, and an empty one is accepted anywhere.
        if (!string.IsNullOrEmpty(options.Namespace) && !string.IsNullOrEmpty(document.Namespace) && document.Namespace != options.Namespace)
        {
            entry.Skip($"metadata.namespace '{document.Namespace}' is not this app's namespace '{options.Namespace}'");
            return;
        }

        // Like Dapr, names must be unique before scopes are applied.
        if (seen.TryGetValue(document.Name, out var first))
        {
            entry.Fail($"component '{document.Name}' is defined twice: in {first.Document.Location} and here");
            return;
        }

        seen.Add(document.Name, entry);
        if (Scopes(document) is { Count: > 0 } scopes && !string.IsNullOrEmpty(options.AppId) && !scopes.Contains(options.AppId))
        {
            entry.Skip($"scopes name {string.Join(", ", scopes)}, not '{options.AppId}'");
            return;
        }

        try
        {
            entry.Raw = ReadRaw(entry);
        }
        catch (ComponentConfigurationException e)
        {
            entry.Fail(e.Message);
        }
    }

    private static List<string> Scopes(ManifestDocument document) =>
        ManifestFields.Get(document.Body, "scopes") is JsonArray scopes
            ? [.. scopes.Select(ManifestFields.Text).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim())]
            : [];

    private RawComponent ReadRaw(Entry entry)
    {
        var document = entry.Document;
        var name = document.Name!;
        var where = $"component '{name}' ({document.Location})";
        var spec = ManifestFields.Get(document.Body, "spec") as JsonObject;
        var type = entry.Type;
        if (string.IsNullOrEmpty(type))
        {
            throw new ComponentConfigurationException($"{where}: spec.type is missing");
        }

        var version = ManifestFields.Text(ManifestFields.Get(spec, "version"))?.Trim().ToLowerInvariant() ?? string.Empty;
        if (!registry.TryResolve(type, version, out var factory))
        {
            // A known type asked for in a version it lacks (state.postgresql v1) gets the registry's list of versions.
            var nearest = registry.KnownTypes.Contains(type.Trim().ToLowerInvariant(), StringComparer.Ordinal)
                ? null
                : KeySuggester.Nearest(type, registry.KnownTypes, maxDistance: 2);
            try
            {
                factory = registry.Resolve(type, version, where);
            }
            catch (ComponentConfigurationException e) when (nearest is not null)
            {
                throw new ComponentConfigurationException(
                    $"{where}: unknown component type '{type}' (did you mean {nearest}?); known types: {string.Join(", ", registry.KnownTypes)}", e);
            }
        }

        var entries = ManifestFields.Get(spec, "metadata") switch
        {
            null => [],
            JsonArray array => array,
            _ => throw new ComponentConfigurationException($"{where}: spec.metadata must be a list of {{name, value}} entries"),
        };

        TimeSpan? initTimeout = null;
        if (ManifestFields.Text(ManifestFields.Get(spec, "initTimeout")) is { Length: > 0 } timeoutText)
        {
            if (MetadataReader.TryParseDuration(timeoutText, bareNumberIsMilliseconds: false, out var timeout) && timeout > TimeSpan.Zero)
            {
                initTimeout = timeout;
            }
            else
            {
                entry.Warnings.Add($"spec.initTimeout '{timeoutText}' is not a duration such as 20s; ignored (no limit)");
            }
        }

        var secretStore = ManifestFields.Text(ManifestFields.At(document.Body, "auth.secretStore"))?.Trim();
        return new RawComponent(document, name, type, version, factory, entries, secretStore, initTimeout);
    }

    private static void CheckKeys(ComponentSpec spec, IComponentFactory factory, List<string> warnings)
    {
        var reads = new HashSet<string>(factory.MetadataKeys, StringComparer.OrdinalIgnoreCase);
        var noEffect = new HashSet<string>(factory.NoEffectKeys.Concat(DaprRuntimeKeys.NoEffect(spec.Type)), StringComparer.OrdinalIgnoreCase);
        var scoping = new HashSet<string>(DaprRuntimeKeys.Scoping(spec.Type), StringComparer.OrdinalIgnoreCase);
        var known = reads.Concat(noEffect).Concat(scoping).ToList();
        var quiet = new List<string>();
        var scoped = new List<string>();
        foreach (var key in spec.Metadata.Keys)
        {
            if (reads.Contains(key))
            {
                continue;
            }

            if (scoping.Contains(key))
            {
                scoped.Add(key);
            }
            else if (noEffect.Contains(key))
            {
                quiet.Add(key);
            }
            else
            {
                var nearest = KeySuggester.Nearest(key, known);
                var hint = nearest is null ? string.Empty : $" (did you mean '{nearest}'?)";
                warnings.Add($"unknown metadata key '{key}'{hint}; it is ignored");
            }
        }

        if (quiet.Count > 0)
        {
            warnings.Add($"accepted, no effect here: {string.Join(", ", quiet)} (the mesh keeps one queue per actor; see the component's README)");
        }

        if (scoped.Count > 0)
        {
            warnings.Add(
                $"topic scoping not applied: {string.Join(", ", scoped)} (the mesh routes by actor queue, not by topic; "
                + "limit which actors load this component with scopes)");
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
                    $"{where}: metadata '{key}' uses {{podName}} but the pod name is not known (set POD_NAME or HOSTNAME)");
            }

            value = value.Replace("{podName}", options.PodName, StringComparison.Ordinal);
        }

        // Dapr writes "<namespace>.<appId>"; without a namespace we use the app id alone rather than ".<appId>".
        var scopedId = string.IsNullOrEmpty(options.Namespace) ? options.AppId : $"{options.Namespace}.{options.AppId}";
        return value
            .Replace("{namespace}", scopedId, StringComparison.Ordinal)
            .Replace("{appID}", options.AppId, StringComparison.Ordinal);
    }

    /// <summary>
    /// <c>value: {podName}</c> unquoted is a YAML mapping <c>{podName: null}</c>: daprd would pass the JSON text on.
    /// The intent is plain, so the tag is used, with a warning naming the fix.
    /// </summary>
    private static string? UnquotedTemplate(JsonNode? value) =>
        value is JsonObject { Count: 1 } map && map.First() is { Value: null } only && TemplateTags.Contains(only.Key, StringComparer.Ordinal)
            ? "{" + only.Key + "}"
            : null;

    /// <summary>A <c>value</c> as Dapr converts it: strings unquoted, numbers and booleans as written, objects as JSON.</summary>
    private static string ValueText(JsonNode? node) => node switch
    {
        null => string.Empty,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    private static bool IsTrue(JsonNode? node) =>
        ManifestFields.Text(node)?.Trim().ToLowerInvariant() is "y" or "yes" or "true" or "t" or "on" or "1";

    /// <summary>One Component document on its way through loading.</summary>
    private sealed class Entry(ManifestDocument document)
    {
        public ManifestDocument Document { get; } = document;

        public string Type { get; } =
            ManifestFields.Text(ManifestFields.At(document.Body, "spec.type"))?.Trim().ToLowerInvariant() ?? string.Empty;

        public bool IgnoreErrors { get; } = IsTrue(ManifestFields.At(document.Body, "spec.ignoreErrors"));

        public ComponentStatus Status { get; private set; } = ComponentStatus.Loaded;

        public string? Reason { get; private set; }

        public List<string> Warnings { get; } = [];

        public RawComponent? Raw { get; set; }

        public ComponentSpec? Spec { get; set; }

        public void Skip(string reason)
        {
            Status = ComponentStatus.Skipped;
            Reason = reason;
        }

        /// <summary>An error, unless the manifest asks daprd to start without the component (<c>spec.ignoreErrors</c>).</summary>
        public void Fail(string error)
        {
            // Messages thrown deeper name the component and file already; the outcome names them once.
            var prefix = $"component '{Document.Name}' ({Document.Location}): ";
            var prefixFile = $"component '{Document.Name}' ({Document.SourceFile}): ";
            var text = error.StartsWith(prefix, StringComparison.Ordinal) ? error[prefix.Length..]
                : error.StartsWith(prefixFile, StringComparison.Ordinal) ? error[prefixFile.Length..]
                : error;
            Spec = null;
            if (IgnoreErrors)
            {
                Status = ComponentStatus.Skipped;
                Reason = "not loaded, error ignored (spec.ignoreErrors: true): " + text;
            }
            else
            {
                Status = ComponentStatus.Error;
                Reason = text;
            }
        }

        public ComponentOutcome ToOutcome() =>
            new(Document.Name ?? "(no name)", Type, Document.SourceFile, Document.Line, Status, Reason, Warnings);
    }

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
    private sealed class Resolution(ComponentLoader loader, LoadedComponents loaded, List<Entry> entries, bool checkOnly)
    {
        private readonly HashSet<string> _resolving = new(StringComparer.Ordinal);
        private readonly Dictionary<(string Store, string Name), IReadOnlyDictionary<string, string>?> _secrets = [];
        private readonly Dictionary<string, string> _unavailableStores = new(StringComparer.Ordinal);

        // A file or the environment is here when the check runs; a cluster's secret store may not be.
        private static bool IsLocal(ComponentSpec store) => store.Type.StartsWith("secretstores.local.", StringComparison.Ordinal);

        public async Task ResolveAsync(Entry entry, CancellationToken cancellationToken)
        {
            if (entry.Spec is not null || entry.Status != ComponentStatus.Loaded || entry.Raw is not { } raw)
            {
                return;
            }

            if (!_resolving.Add(raw.Name))
            {
                throw new ComponentConfigurationException(
                    $"{raw.Where}: secret stores refer to each other in a cycle through auth.secretStore");
            }

            try
            {
                var (spec, unchecked_) = await SpecAsync(entry, raw, cancellationToken);
                if (!unchecked_)
                {
                    raw.Factory.Validate(spec, entry.Warnings);
                }

                CheckKeys(spec, raw.Factory, entry.Warnings);
                if (raw.InitTimeout is { } timeout)
                {
                    loaded.SetInitTimeout(spec, timeout);
                }

                entry.Spec = spec;
            }
            catch (ComponentConfigurationException e)
            {
                entry.Fail(e.Message);
            }
            finally
            {
                _resolving.Remove(raw.Name);
            }
        }

        private async Task<(ComponentSpec Spec, bool Unchecked)> SpecAsync(Entry entry, RawComponent raw, CancellationToken cancellationToken)
        {
            var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var secretKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var unchecked_ = false;
            for (var i = 0; i < raw.Entries.Count; i++)
            {
                var item = raw.Entries[i] as JsonObject;
                if (item is null || ManifestFields.Text(ManifestFields.Get(item, "name")) is not { Length: > 0 } key)
                {
                    throw new ComponentConfigurationException(
                        $"{raw.Where}: spec.metadata[{i}] must be a mapping with a 'name' and a 'value', 'secretKeyRef' or 'envRef'");
                }

                if (metadata.ContainsKey(key))
                {
                    throw new ComponentConfigurationException(
                        $"{raw.Where}: metadata key '{key}' is given twice (keys are case-insensitive)");
                }

                var valueNode = ManifestFields.Get(item, "value");
                var value = ValueText(valueNode);
                if (UnquotedTemplate(valueNode) is { } template)
                {
                    entry.Warnings.Add(
                        $"metadata '{key}': value {template} is unquoted, so YAML reads a mapping (daprd would get {value}); "
                        + $"read as the template {template}: quote it, value: \"{template}\"");
                    value = template;
                }

                if (ManifestFields.Get(item, "secretKeyRef") is JsonObject reference
                    && ManifestFields.Text(ManifestFields.Get(reference, "name")) is { Length: > 0 } secretName)
                {
                    var field = ManifestFields.Text(ManifestFields.Get(reference, "key")) is { Length: > 0 } k ? k : secretName;
                    var secret = await SecretAsync(entry, raw, key, secretName, field, cancellationToken);
                    unchecked_ |= secret is null;
                    value = secret ?? string.Empty;
                    secretKeys.Add(key);
                }
                else if (value.Length == 0 && ManifestFields.Text(ManifestFields.Get(item, "envRef")) is { Length: > 0 } variable)
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
            return (spec, unchecked_);
        }

        /// <summary>The secret value; null only when checking and the store cannot be reached here (then a warning says so).</summary>
        private async Task<string?> SecretAsync(
            Entry entry, RawComponent raw, string key, string secretName, string field, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(raw.SecretStore))
            {
                throw new ComponentConfigurationException(
                    $"{raw.Where}: metadata '{key}' uses secretKeyRef '{secretName}' but auth.secretStore is not set");
            }

            var storeName = raw.SecretStore;
            if (_unavailableStores.TryGetValue(storeName, out var why))
            {
                entry.Warnings.Add($"metadata '{key}': secretKeyRef '{secretName}' not checked: secret store '{storeName}' is not available here ({why})");
                return null;
            }

            if (!_secrets.TryGetValue((storeName, secretName), out var secret))
            {
                var storeEntry = entries.FirstOrDefault(e => e.Document.Name == storeName && e.Type.StartsWith(SecretStorePrefix, StringComparison.Ordinal))
                    ?? throw new ComponentConfigurationException(
                        $"{raw.Where}: metadata '{key}' refers to secret store '{storeName}', which is not defined "
                        + "(no secretstores.* component of that name)");
                if (storeEntry.Status != ComponentStatus.Loaded || storeEntry.Raw is null)
                {
                    throw new ComponentConfigurationException(
                        $"{raw.Where}: metadata '{key}' refers to secret store '{storeName}', which is not loaded for this app: {storeEntry.Reason}");
                }

                await ResolveAsync(storeEntry, cancellationToken);
                if (storeEntry.Spec is not { } storeSpec)
                {
                    throw new ComponentConfigurationException(
                        $"{raw.Where}: metadata '{key}' refers to secret store '{storeName}', which is invalid: {storeEntry.Reason}");
                }

                ISecretStore store;
                try
                {
                    store = await loaded.CreateAsync<ISecretStore>(storeSpec, cancellationToken);
                }
                catch (Exception e) when (checkOnly && e is not OperationCanceledException && !IsLocal(storeSpec))
                {
                    _unavailableStores[storeName] = e.Message;
                    entry.Warnings.Add($"metadata '{key}': secretKeyRef '{secretName}' not checked: secret store '{storeName}' is not available here ({e.Message})");
                    return null;
                }

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
