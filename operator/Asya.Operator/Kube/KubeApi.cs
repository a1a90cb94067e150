using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Operator.Building;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Asya.Operator.Kube;

/// <summary>
/// Generic JSON access to namespaced resources through KubernetesClient: custom-object operations for named API groups
/// (apps, rbac, keda.sh, asya.sh, dapr.io) and the typed CoreV1 operations for the core group.
/// </summary>
internal sealed class KubeApi(IKubernetes client)
{
    public async Task<JsonObject?> GetAsync(ResourceKind kind, string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            object result = kind.Group.Length > 0
                ? await client.CustomObjects.GetNamespacedCustomObjectAsync(kind.Group, kind.Version, ns, kind.Plural, name, cancellationToken).ConfigureAwait(false)
                : kind.Plural switch
                {
                    "secrets" => await client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false),
                    "configmaps" => await client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false),
                    "serviceaccounts" => await client.CoreV1.ReadNamespacedServiceAccountAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false),
                    _ => throw Unsupported(kind),
                };
            return Core(kind, ToJson(result));
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<JsonObject>> ListAsync(ResourceKind kind, string ns, string? labelSelector, CancellationToken cancellationToken)
    {
        object result = kind.Group.Length > 0
            ? await client.CustomObjects.ListNamespacedCustomObjectAsync(kind.Group, kind.Version, ns, kind.Plural, labelSelector: labelSelector, cancellationToken: cancellationToken).ConfigureAwait(false)
            : kind.Plural switch
            {
                "secrets" => await client.CoreV1.ListNamespacedSecretAsync(ns, labelSelector: labelSelector, cancellationToken: cancellationToken).ConfigureAwait(false),
                "configmaps" => await client.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: labelSelector, cancellationToken: cancellationToken).ConfigureAwait(false),
                "serviceaccounts" => await client.CoreV1.ListNamespacedServiceAccountAsync(ns, labelSelector: labelSelector, cancellationToken: cancellationToken).ConfigureAwait(false),
                _ => throw Unsupported(kind),
            };
        var list = ToJson(result);
        return [.. (list["items"] as JsonArray ?? []).OfType<JsonObject>().Select(i => Core(kind, i))];
    }

    public async Task<JsonObject> CreateAsync(ResourceKind kind, string ns, JsonObject body, CancellationToken cancellationToken)
    {
        object result = kind.Group.Length > 0
            ? await client.CustomObjects.CreateNamespacedCustomObjectAsync(body, kind.Group, kind.Version, ns, kind.Plural, fieldManager: OperatorSettings.FieldManager, cancellationToken: cancellationToken).ConfigureAwait(false)
            : kind.Plural switch
            {
                "secrets" => await client.CoreV1.CreateNamespacedSecretAsync(KubeJson.FromJson<V1Secret>(body), ns, fieldManager: OperatorSettings.FieldManager, cancellationToken: cancellationToken).ConfigureAwait(false),
                "configmaps" => await client.CoreV1.CreateNamespacedConfigMapAsync(KubeJson.FromJson<V1ConfigMap>(body), ns, fieldManager: OperatorSettings.FieldManager, cancellationToken: cancellationToken).ConfigureAwait(false),
                "serviceaccounts" => await client.CoreV1.CreateNamespacedServiceAccountAsync(KubeJson.FromJson<V1ServiceAccount>(body), ns, fieldManager: OperatorSettings.FieldManager, cancellationToken: cancellationToken).ConfigureAwait(false),
                _ => throw Unsupported(kind),
            };
        return Core(kind, ToJson(result));
    }

    public async Task<JsonObject> ReplaceAsync(ResourceKind kind, string ns, string name, JsonObject body, CancellationToken cancellationToken)
    {
        object result = kind.Group.Length > 0
            ? await client.CustomObjects.ReplaceNamespacedCustomObjectAsync(body, kind.Group, kind.Version, ns, kind.Plural, name, fieldManager: OperatorSettings.FieldManager, cancellationToken: cancellationToken).ConfigureAwait(false)
            : kind.Plural switch
            {
                "secrets" => await client.CoreV1.ReplaceNamespacedSecretAsync(KubeJson.FromJson<V1Secret>(body), name, ns, fieldManager: OperatorSettings.FieldManager, cancellationToken: cancellationToken).ConfigureAwait(false),
                "configmaps" => await client.CoreV1.ReplaceNamespacedConfigMapAsync(KubeJson.FromJson<V1ConfigMap>(body), name, ns, fieldManager: OperatorSettings.FieldManager, cancellationToken: cancellationToken).ConfigureAwait(false),
                "serviceaccounts" => await client.CoreV1.ReplaceNamespacedServiceAccountAsync(KubeJson.FromJson<V1ServiceAccount>(body), name, ns, fieldManager: OperatorSettings.FieldManager, cancellationToken: cancellationToken).ConfigureAwait(false),
                _ => throw Unsupported(kind),
            };
        return Core(kind, ToJson(result));
    }

    public async Task<JsonObject> ReplaceStatusAsync(ResourceKind kind, string ns, string name, JsonObject body, CancellationToken cancellationToken)
    {
        if (kind.Group.Length == 0)
        {
            throw Unsupported(kind);
        }

        var result = await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(body, kind.Group, kind.Version, ns, kind.Plural, name, fieldManager: OperatorSettings.FieldManager, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ToJson(result);
    }

    /// <summary>Deletes the object; a missing one is not an error.</summary>
    public async Task DeleteAsync(ResourceKind kind, string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            if (kind.Group.Length > 0)
            {
                await client.CustomObjects.DeleteNamespacedCustomObjectAsync(kind.Group, kind.Version, ns, kind.Plural, name, propagationPolicy: "Background", cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }

            _ = kind.Plural switch
            {
                "secrets" => await client.CoreV1.DeleteNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false),
                "configmaps" => await client.CoreV1.DeleteNamespacedConfigMapAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false),
                "serviceaccounts" => (object)await client.CoreV1.DeleteNamespacedServiceAccountAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false),
                _ => throw Unsupported(kind),
            };
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>Whether the API server serves <paramref name="kind"/> (e.g. whether Dapr's Component CRD is installed).</summary>
    public async Task<bool> ServesAsync(ResourceKind kind, CancellationToken cancellationToken)
    {
        try
        {
            var resources = await client.CustomObjects.GetAPIResourcesAsync(kind.Group, kind.Version, cancellationToken).ConfigureAwait(false);
            return resources.Resources?.Any(r => r.Name == kind.Plural) == true;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>
    /// Watches <paramref name="kind"/> in every namespace (or one) from <paramref name="resourceVersion"/>; ends when the
    /// server closes the stream. Named API groups, and core ConfigMaps.
    /// </summary>
    public async IAsyncEnumerable<(WatchEventType Type, JsonObject Object)> WatchAsync(
        ResourceKind kind, string? ns, string? labelSelector, string? resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Exception? failure = null;
        if (kind == ResourceKind.ConfigMaps)
        {
            var maps = string.IsNullOrEmpty(ns)
                ? client.CoreV1.WatchListConfigMapForAllNamespacesAsync(
                    allowWatchBookmarks: false, labelSelector: labelSelector, resourceVersion: resourceVersion, onError: e => failure = e, cancellationToken: cancellationToken)
                : client.CoreV1.WatchListNamespacedConfigMapAsync(
                    ns, allowWatchBookmarks: false, labelSelector: labelSelector, resourceVersion: resourceVersion, onError: e => failure = e, cancellationToken: cancellationToken);
            await foreach (var (type, map) in maps.ConfigureAwait(false))
            {
                yield return (type, Core(kind, KubeJson.ToJson(map)));
            }

            ThrowIfFailed(kind, failure);
            yield break;
        }

        var events = string.IsNullOrEmpty(ns)
            ? client.CustomObjects.WatchListCustomObjectForAllNamespacesAsync(
                kind.Group, kind.Version, kind.Plural, allowWatchBookmarks: false, labelSelector: labelSelector, resourceVersion: resourceVersion,
                onError: e => failure = e, cancellationToken: cancellationToken)
            : client.CustomObjects.WatchListNamespacedCustomObjectAsync(
                kind.Group, kind.Version, ns, kind.Plural, allowWatchBookmarks: false, labelSelector: labelSelector, resourceVersion: resourceVersion,
                onError: e => failure = e, cancellationToken: cancellationToken);
        await foreach (var (type, item) in events.ConfigureAwait(false))
        {
            if (ToJson(item) is { Count: > 0 } obj)
            {
                yield return (type, obj);
            }
        }

        ThrowIfFailed(kind, failure);
    }

    private static void ThrowIfFailed(ResourceKind kind, Exception? failure)
    {
        if (failure is not null and not OperationCanceledException)
        {
            throw new InvalidOperationException($"watch of {kind} failed: {failure.Message}", failure);
        }
    }

    /// <summary>List of every namespace (or one) with the list's resourceVersion, to start a watch from.</summary>
    public async Task<(IReadOnlyList<JsonObject> Items, string? ResourceVersion)> ListAllAsync(ResourceKind kind, string? ns, string? labelSelector, CancellationToken cancellationToken)
    {
        if (kind == ResourceKind.ConfigMaps)
        {
            var maps = string.IsNullOrEmpty(ns)
                ? await client.CoreV1.ListConfigMapForAllNamespacesAsync(labelSelector: labelSelector, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await client.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: labelSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
            return ([.. maps.Items.Select(m => Core(kind, KubeJson.ToJson(m)))], maps.Metadata?.ResourceVersion);
        }

        var result = string.IsNullOrEmpty(ns)
            ? await client.CustomObjects.ListCustomObjectForAllNamespacesAsync(kind.Group, kind.Version, kind.Plural, labelSelector: labelSelector, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await client.CustomObjects.ListNamespacedCustomObjectAsync(kind.Group, kind.Version, ns, kind.Plural, labelSelector: labelSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
        var list = ToJson(result);
        var items = (list["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        return (items, list["metadata"]?["resourceVersion"]?.GetValue<string>());
    }

    private static JsonObject ToJson(object result) => result switch
    {
        JsonElement element => JsonNode.Parse(element.GetRawText())?.AsObject() ?? [],
        _ => KubeJson.ToJson(result),
    };

    // Typed core objects come back without apiVersion/kind; the comparisons expect them like custom objects have them.
    private static JsonObject Core(ResourceKind kind, JsonObject obj)
    {
        obj["apiVersion"] ??= kind.ApiVersion;
        obj["kind"] ??= kind.Kind;
        return obj;
    }

    private static NotSupportedException Unsupported(ResourceKind kind) => new($"core resource {kind.Plural} is not used by the operator");
}
