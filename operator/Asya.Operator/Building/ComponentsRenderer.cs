using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Components;
using Asya.Operator.Model;

namespace Asya.Operator.Building;

/// <summary>
/// Picks the components an actor needs (its transport, its state stores, a crew actor's store (<see cref="CrewStateStore"/>),
/// the secret stores those use) from the Dapr
/// <c>Component</c> documents available in its namespace and renders them as the files of its components Secret.
/// <c>secretKeyRef</c>s stay references: like Dapr on Kubernetes, a component without <c>auth.secretStore</c> reads
/// them from the <c>kubernetes</c> store, which is added as <c>secretstores.kubernetes</c> when not defined.
/// </summary>
public static class ComponentsRenderer
{
    public const string KubernetesStore = "kubernetes";
    private const string ComponentApiVersion = "dapr.io/v1alpha1";

    /// <param name="actor">The actor.</param>
    /// <param name="available">Component documents of the namespace by name.</param>
    /// <param name="source">Where they were looked up, for messages (e.g. "components.dapr.io Components").</param>
    public static RenderedComponents Render(ActorModel actor, IReadOnlyDictionary<string, JsonObject> available, string source)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(available);
        var where = $"namespace '{actor.Namespace}' ({source})";
        string transport;
        if (actor.Transport is { } named)
        {
            if (!available.TryGetValue(named, out var doc))
            {
                throw new ComponentMissingException($"spec.transport: Component '{named}' not found in {where}");
            }

            if (!ComponentTypes.IsTransport(TypeOf(doc)))
            {
                throw new ComponentMissingException($"spec.transport: Component '{named}' has type '{TypeOf(doc)}', not a pubsub.* transport");
            }

            transport = named;
        }
        else
        {
            var transports = available.Where(c => ComponentTypes.IsTransport(TypeOf(c.Value))).Select(c => c.Key).Order(StringComparer.Ordinal).ToList();
            transport = transports.Count switch
            {
                1 => transports[0],
                0 => throw new ComponentMissingException($"spec.transport: not set and no pubsub.* Component found in {where}"),
                _ => throw new ComponentMissingException($"spec.transport: not set and {where} has several transports ({string.Join(", ", transports)}); name one"),
            };
        }

        var chosen = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal) { [transport] = Normalize(available[transport]) };
        for (var i = 0; i < actor.StateProxy.Count; i++)
        {
            var name = actor.StateProxy[i].Component;
            if (!available.TryGetValue(name, out var doc))
            {
                throw new ComponentMissingException($"spec.stateProxy[{i}].component: Component '{name}' not found in {where}");
            }

            chosen[name] = Normalize(doc);
        }

        var stateStore = CrewStateStore.Choose(actor, available, where);
        if (stateStore is not null)
        {
            chosen[stateStore] = Normalize(available[stateStore]);
        }

        var secretNames = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (name, doc) in chosen.ToList())
        {
            AddSecretStore(actor.Namespace, name, doc, chosen, available, where, secretNames);
        }

        var files = chosen.ToDictionary(c => c.Key + ".yaml", c => c.Value.ToJsonString(Indented), StringComparer.Ordinal);
        return new RenderedComponents(transport, files, [.. secretNames]) { StateStore = stateStore };
    }

    /// <summary>Parses Component documents (from ConfigMap values or files); documents of other kinds are skipped.</summary>
    public static IEnumerable<JsonObject> ComponentsOf(IEnumerable<JsonNode?> documents) =>
        documents.OfType<JsonObject>().Where(d => d["kind"]?.GetValueKind() == JsonValueKind.String && d["kind"]!.GetValue<string>() == "Component");

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static void AddSecretStore(
        string ns,
        string name, JsonObject doc, SortedDictionary<string, JsonObject> chosen, IReadOnlyDictionary<string, JsonObject> available,
        string where, SortedSet<string> secretNames)
    {
        var references = (doc["spec"]?["metadata"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(e => e["secretKeyRef"] as JsonObject)
            .OfType<JsonObject>()
            .Select(r => Text(r["name"]))
            .OfType<string>()
            .ToList();
        if (references.Count == 0)
        {
            return;
        }

        var auth = doc["auth"] as JsonObject;
        var store = Text(auth?["secretStore"]);
        if (store is null)
        {
            store = KubernetesStore;
            doc["auth"] = new JsonObject { ["secretStore"] = store };
        }

        if (!chosen.TryGetValue(store, out var storeDoc))
        {
            if (available.TryGetValue(store, out var found))
            {
                storeDoc = Normalize(found);
            }
            else if (store == KubernetesStore)
            {
                storeDoc = new JsonObject
                {
                    ["apiVersion"] = ComponentApiVersion,
                    ["kind"] = "Component",
                    ["metadata"] = new JsonObject { ["name"] = KubernetesStore },
                    ["spec"] = new JsonObject
                    {
                        ["type"] = "secretstores.kubernetes",
                        ["version"] = "v1",
                        // Pinned so whoever loads the manifests (the pod, the operator) reads the actor's namespace.
                        ["metadata"] = new JsonArray(new JsonObject { ["name"] = "defaultNamespace", ["value"] = ns }),
                    },
                };
            }
            else
            {
                throw new ComponentMissingException($"Component '{name}': auth.secretStore '{store}' not found in {where}");
            }

            chosen[store] = storeDoc;
        }

        if (TypeOf(storeDoc) == "secretstores.kubernetes")
        {
            secretNames.UnionWith(references);
        }
    }

    /// <summary>Only what the sidecar's loader reads: cluster bookkeeping (uid, resourceVersion, namespace) is dropped.</summary>
    private static JsonObject Normalize(JsonObject doc)
    {
        var name = Text(doc["metadata"]?["name"]) ?? throw new ComponentMissingException("a Component has no metadata.name");
        var result = new JsonObject
        {
            ["apiVersion"] = ComponentApiVersion,
            ["kind"] = "Component",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = doc["spec"]?.DeepClone() ?? new JsonObject(),
        };
        if (doc["auth"] is JsonObject auth)
        {
            result["auth"] = auth.DeepClone();
        }

        if (doc["scopes"] is JsonArray scopes)
        {
            result["scopes"] = scopes.DeepClone();
        }

        return result;
    }

    public static string TypeOf(JsonObject doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        return Text(doc["spec"]?["type"])?.Trim().ToLowerInvariant() ?? string.Empty;
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } s ? s : null;
}
