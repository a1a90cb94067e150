using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Asya.Testing.Kubernetes;

/// <summary>
/// The state of the fake API server: objects by resource/namespace/name, one resourceVersion counter, an event log for
/// watches. Semantics kept: optimistic concurrency (409 on a stale resourceVersion), generation bumped on spec changes,
/// status subresource (main updates keep status, status updates keep the rest), no-op updates change nothing,
/// finalizers (delete sets deletionTimestamp; removing the last finalizer deletes), owner references (an object whose
/// owners are all gone is deleted, recursively).
/// </summary>
public sealed class FakeKubeStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<StoredKey, JsonObject> _objects = [];
    private readonly List<WatchEvent> _log = [];
    private readonly List<Watcher> _watchers = [];
    private readonly List<ApiResource> _resources = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _resourceVersion = 100;

    public FakeKubeStore()
    {
        Register(new ApiResource("", "v1", "configmaps", "ConfigMap"));
        Register(new ApiResource("", "v1", "secrets", "Secret"));
        Register(new ApiResource("", "v1", "serviceaccounts", "ServiceAccount"));
        Register(new ApiResource("", "v1", "pods", "Pod", HasStatus: true));
        Register(new ApiResource("", "v1", "namespaces", "Namespace", Namespaced: false, HasStatus: true));
        Register(new ApiResource("apps", "v1", "deployments", "Deployment", HasStatus: true));
        Register(new ApiResource("rbac.authorization.k8s.io", "v1", "roles", "Role"));
        Register(new ApiResource("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding"));
    }

    public IReadOnlyList<ApiResource> Resources
    {
        get
        {
            lock (_gate)
            {
                return [.. _resources];
            }
        }
    }

    public long CurrentResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    /// <summary>Serves a resource type (a CRD being installed); idempotent.</summary>
    public void Register(ApiResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        lock (_gate)
        {
            if (!_resources.Any(r => r.Group == resource.Group && r.Plural == resource.Plural))
            {
                _resources.Add(resource);
            }
        }
    }

    public ApiResource? Find(string group, string version, string plural)
    {
        lock (_gate)
        {
            return _resources.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural);
        }
    }

    public ApiResource ResourceOf(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var apiVersion = obj["apiVersion"]?.GetValue<string>() ?? throw ApiError.BadRequest("apiVersion is required");
        var kind = obj["kind"]?.GetValue<string>() ?? throw ApiError.BadRequest("kind is required");
        lock (_gate)
        {
            return _resources.FirstOrDefault(r => r.ApiVersion == apiVersion && r.Kind == kind)
                ?? throw ApiError.NotFound($"resource type {kind} in {apiVersion}");
        }
    }

    public JsonObject? Get(ApiResource resource, string ns, string name)
    {
        ArgumentNullException.ThrowIfNull(resource);
        lock (_gate)
        {
            return _objects.TryGetValue(Key(resource, ns, name), out var obj) ? (JsonObject)obj.DeepClone() : null;
        }
    }

    /// <summary>The object of <paramref name="kind"/> (e.g. <c>Deployment</c>) named <paramref name="name"/>, or null.</summary>
    public JsonObject? Get(string kind, string ns, string name)
    {
        ApiResource resource;
        lock (_gate)
        {
            resource = _resources.First(r => r.Kind == kind);
        }

        return Get(resource, ns, name);
    }

    public IReadOnlyList<JsonObject> List(ApiResource resource, string? ns, string? labelSelector = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var selector = LabelSelector.Parse(labelSelector);
        lock (_gate)
        {
            return [.. _objects
                .Where(o => o.Key.Group == resource.Group && o.Key.Plural == resource.Plural && (ns is null || o.Key.Namespace == ns))
                .OrderBy(o => o.Key.Namespace, StringComparer.Ordinal).ThenBy(o => o.Key.Name, StringComparer.Ordinal)
                .Select(o => o.Value)
                .Where(selector.Matches)
                .Select(o => (JsonObject)o.DeepClone())];
        }
    }

    public JsonObject Create(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var resource = ResourceOf(obj);
        return Create(resource, obj["metadata"]?["namespace"]?.GetValue<string>() ?? string.Empty, obj);
    }

    public JsonObject Create(ApiResource resource, string ns, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(body);
        var obj = (JsonObject)body.DeepClone();
        var metadata = obj["metadata"] as JsonObject ?? [];
        obj["metadata"] = metadata;
        var name = metadata["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name) && metadata["generateName"]?.GetValue<string>() is { } prefix)
        {
            name = prefix + Guid.NewGuid().ToString("N")[..5];
            metadata["name"] = name;
        }

        if (string.IsNullOrEmpty(name))
        {
            throw ApiError.BadRequest("metadata.name: Required value");
        }

        ns = resource.Namespaced ? ns : string.Empty;
        lock (_gate)
        {
            var key = Key(resource, ns, name);
            if (_objects.ContainsKey(key))
            {
                throw ApiError.AlreadyExists($"{resource.Plural}.{resource.Group} \"{name}\"");
            }

            obj["apiVersion"] = resource.ApiVersion;
            obj["kind"] = resource.Kind;
            if (resource.Namespaced)
            {
                metadata["namespace"] = ns;
            }

            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            metadata["generation"] = 1;
            metadata.Remove("deletionTimestamp");
            if (resource.HasStatus)
            {
                obj.Remove("status");
            }

            metadata["resourceVersion"] = NextVersion();
            obj = Normalized(obj);
            _objects[key] = obj;
            Publish("ADDED", resource, obj);
            return (JsonObject)obj.DeepClone();
        }
    }

    /// <summary>PUT: replaces the object (keeping its status when the resource has a status subresource).</summary>
    public JsonObject Replace(ApiResource resource, string ns, string name, JsonObject body, bool status = false)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(body);
        ns = resource.Namespaced ? ns : string.Empty;
        lock (_gate)
        {
            var key = Key(resource, ns, name);
            if (!_objects.TryGetValue(key, out var current))
            {
                throw ApiError.NotFound($"{resource.Plural}.{resource.Group} \"{name}\"");
            }

            var given = body["metadata"]?["resourceVersion"]?.GetValue<string>();
            var currentVersion = current["metadata"]!["resourceVersion"]!.GetValue<string>();
            if (!string.IsNullOrEmpty(given) && given != currentVersion)
            {
                throw ApiError.Conflict(
                    $"Operation cannot be fulfilled on {resource.Plural}.{resource.Group} \"{name}\": the object has been modified; please apply your changes to the latest version and try again");
            }

            JsonObject next;
            if (status)
            {
                next = (JsonObject)current.DeepClone();
                if (body["status"] is { } newStatus)
                {
                    next["status"] = newStatus.DeepClone();
                }
                else
                {
                    next.Remove("status");
                }
            }
            else
            {
                next = (JsonObject)body.DeepClone();
                next["apiVersion"] = resource.ApiVersion;
                next["kind"] = resource.Kind;
                var metadata = next["metadata"] as JsonObject ?? [];
                next["metadata"] = metadata;
                var old = (JsonObject)current["metadata"]!;
                foreach (var kept in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "generation" })
                {
                    if (old[kept] is { } value)
                    {
                        metadata[kept] = value.DeepClone();
                    }
                    else
                    {
                        metadata.Remove(kept);
                    }
                }

                if (resource.HasStatus)
                {
                    if (current["status"] is { } oldStatus)
                    {
                        next["status"] = oldStatus.DeepClone();
                    }
                    else
                    {
                        next.Remove("status");
                    }
                }

                if (!JsonNode.DeepEquals(WithoutMetaAndStatus(current), WithoutMetaAndStatus(next)))
                {
                    metadata["generation"] = (long.TryParse(current["metadata"]!["generation"]?.ToJsonString(), CultureInfo.InvariantCulture, out var generation) ? generation : 1) + 1;
                }
            }

            next["metadata"]!["resourceVersion"] = currentVersion;
            next = Normalized(next);
            if (JsonNode.DeepEquals(current, next))
            {
                // A no-op update is not a change: same resourceVersion, no event.
                return (JsonObject)current.DeepClone();
            }

            next["metadata"]!["resourceVersion"] = NextVersion();
            next = Normalized(next);
            _objects[key] = next;
            if (next["metadata"]?["deletionTimestamp"] is not null && Finalizers(next).Count == 0)
            {
                Remove(resource, key, next);
            }
            else
            {
                Publish("MODIFIED", resource, next);
            }

            return (JsonObject)next.DeepClone();
        }
    }

    /// <summary>DELETE: with finalizers the object only gets a deletionTimestamp; otherwise it goes, and its dependents after it.</summary>
    public JsonObject Delete(ApiResource resource, string ns, string name)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ns = resource.Namespaced ? ns : string.Empty;
        lock (_gate)
        {
            var key = Key(resource, ns, name);
            if (!_objects.TryGetValue(key, out var current))
            {
                throw ApiError.NotFound($"{resource.Plural}.{resource.Group} \"{name}\"");
            }

            if (Finalizers(current).Count > 0)
            {
                if (current["metadata"]!["deletionTimestamp"] is null)
                {
                    var next = (JsonObject)current.DeepClone();
                    next["metadata"]!["deletionTimestamp"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                    next["metadata"]!["resourceVersion"] = NextVersion();
                    _objects[key] = next;
                    Publish("MODIFIED", resource, next);
                    return (JsonObject)next.DeepClone();
                }

                return (JsonObject)current.DeepClone();
            }

            Remove(resource, key, current);
            return (JsonObject)current.DeepClone();
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, re-checking after every change of the store.</summary>
    public async Task WaitForAsync(Func<FakeKubeStore, bool> condition, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            if (condition(this))
            {
                return;
            }

            try
            {
                await changed.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                if (condition(this))
                {
                    return;
                }

                throw new TimeoutException($"timed out after {timeout} waiting for {what}");
            }
        }
    }

    /// <summary>A watch from <paramref name="sinceVersion"/> (null: synthetic ADDED for every current object first).</summary>
    internal ChannelReader<WatchEvent> Watch(ApiResource resource, string? ns, string? labelSelector, string? fieldName, long? sinceVersion, CancellationToken cancellationToken)
    {
        var selector = LabelSelector.Parse(labelSelector);
        var channel = Channel.CreateUnbounded<WatchEvent>();
        bool Matches(WatchEvent e) =>
            e.Resource.Group == resource.Group && e.Resource.Plural == resource.Plural
            && (ns is null || e.Namespace == ns)
            && (fieldName is null || e.Body["metadata"]?["name"]?.GetValue<string>() == fieldName)
            && selector.Matches(e.Body);
        var watcher = new Watcher(Matches, channel.Writer);
        lock (_gate)
        {
            if (sinceVersion is { } since)
            {
                foreach (var e in _log.Where(e => e.ResourceVersion > since && Matches(e)))
                {
                    channel.Writer.TryWrite(e);
                }
            }
            else
            {
                foreach (var (key, obj) in _objects.Where(o => o.Key.Group == resource.Group && o.Key.Plural == resource.Plural))
                {
                    var e = new WatchEvent(long.Parse(obj["metadata"]!["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture), "ADDED", resource, (JsonObject)obj.DeepClone());
                    if (Matches(e))
                    {
                        channel.Writer.TryWrite(e);
                    }
                }
            }

            _watchers.Add(watcher);
        }

        cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                _watchers.Remove(watcher);
            }

            channel.Writer.TryComplete();
        });
        return channel.Reader;
    }

    /// <summary>Ends every open watch (clients see the stream close and must re-list or re-watch).</summary>
    public void CloseWatches()
    {
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryComplete();
            }

            _watchers.Clear();
        }
    }

    private void Remove(ApiResource resource, StoredKey key, JsonObject obj)
    {
        _objects.Remove(key);
        var gone = (JsonObject)obj.DeepClone();
        gone["metadata"]!["resourceVersion"] = NextVersion();
        Publish("DELETED", resource, gone);

        // Garbage collection: dependents none of whose owners still exist.
        var uids = _objects.Values.Select(o => o["metadata"]!["uid"]?.GetValue<string>()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var orphans = _objects
            .Where(o => o.Value["metadata"]?["ownerReferences"] is JsonArray owners && owners.Count > 0
                && owners.All(r => !uids.Contains(r?["uid"]?.GetValue<string>() ?? string.Empty)))
            .ToList();
        foreach (var (orphanKey, orphan) in orphans)
        {
            if (!_objects.ContainsKey(orphanKey))
            {
                continue;
            }

            var orphanResource = _resources.First(r => r.Group == orphanKey.Group && r.Plural == orphanKey.Plural);
            if (Finalizers(orphan).Count > 0)
            {
                if (orphan["metadata"]!["deletionTimestamp"] is null)
                {
                    var next = (JsonObject)orphan.DeepClone();
                    next["metadata"]!["deletionTimestamp"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                    next["metadata"]!["resourceVersion"] = NextVersion();
                    _objects[orphanKey] = next;
                    Publish("MODIFIED", orphanResource, next);
                }
            }
            else
            {
                Remove(orphanResource, orphanKey, orphan);
            }
        }
    }

    private void Publish(string type, ApiResource resource, JsonObject obj)
    {
        var e = new WatchEvent(long.Parse(obj["metadata"]!["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture), type, resource, (JsonObject)obj.DeepClone());
        _log.Add(e);
        if (_log.Count > 50_000)
        {
            _log.RemoveRange(0, 10_000);
        }

        foreach (var watcher in _watchers.Where(w => w.Matches(e)))
        {
            watcher.Writer.TryWrite(e);
        }

        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    // Values built in memory keep their CLR type (an int is not readable as long); stored objects read like parsed JSON.
    private static JsonObject Normalized(JsonObject obj) => JsonNode.Parse(obj.ToJsonString())!.AsObject();

    private string NextVersion() => (++_resourceVersion).ToString(CultureInfo.InvariantCulture);

    private static List<string> Finalizers(JsonObject obj) =>
        obj["metadata"]?["finalizers"] is JsonArray list ? [.. list.Select(f => f?.GetValue<string>()).OfType<string>()] : [];

    private static JsonObject WithoutMetaAndStatus(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy.Remove("metadata");
        copy.Remove("status");
        return copy;
    }

    private static StoredKey Key(ApiResource resource, string ns, string name) => new(resource.Group, resource.Plural, resource.Namespaced ? ns : string.Empty, name);

    private sealed record Watcher(Func<WatchEvent, bool> Matches, ChannelWriter<WatchEvent> Writer);
}
