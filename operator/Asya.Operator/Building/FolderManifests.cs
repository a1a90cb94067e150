using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Operator.Model;
using Asya.Runtime.Protocol;
using YamlDotNet.Serialization;

namespace Asya.Operator.Building;

/// <summary>
/// The operator-free equivalent of a folder's actors (<c>asya manifests</c>): per actor its components Secret (plus
/// secret access objects), Deployment and ScaledObject, the crew x-sink/x-sump (and x-pause/x-resume when the folder
/// pauses) when the folder does not define them, and the runtime ConfigMap — built by the same functions the operator uses. Objects carry no owner (there is no AsyncActor
/// in the cluster), so <c>kubectl delete -f</c> removes them.
/// </summary>
public static class FolderManifests
{
    /// <param name="ns">Kubernetes namespace and mesh namespace (queue prefix).</param>
    /// <param name="actors">AsyncActor documents (user actors and, optionally, crew).</param>
    /// <param name="components">Component documents available to the actors.</param>
    /// <param name="settings">Sidecar image, scaler address and the other operator settings.</param>
    /// <param name="pauseCrew">A route goes through x-pause: x-pause and x-resume are added too (one of them in
    /// <paramref name="actors"/> adds the other).</param>
    public static IReadOnlyList<JsonObject> Build(
        string ns, IReadOnlyList<JsonObject> actors, IReadOnlyList<JsonObject> components, OperatorSettings settings, bool pauseCrew = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(ns);
        ArgumentNullException.ThrowIfNull(actors);
        ArgumentNullException.ThrowIfNull(components);
        ArgumentNullException.ThrowIfNull(settings);
        var available = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var component in components)
        {
            if (component["metadata"]?["name"]?.GetValue<string>() is { } name)
            {
                available[name] = component;
            }
        }

        var all = actors.Select(a => (JsonObject)a.DeepClone()).ToList();
        List<string> crews = [ActorNames.Sink, ActorNames.Sump];
        if (pauseCrew || all.Any(a => BuiltinOf(a) is ActorNames.Pause or ActorNames.Resume))
        {
            crews.AddRange([ActorNames.Pause, ActorNames.Resume]);
        }

        foreach (var crew in crews)
        {
            if (!all.Any(a => BuiltinOf(a) == crew))
            {
                var spec = new JsonObject
                {
                    ["builtin"] = crew,
                    // The crew is always up: results are stored as soon as they arrive.
                    ["scaling"] = new JsonObject { ["minReplicaCount"] = 1 },
                };

                // An added x-resume reads the checkpoints where the folder's x-pause writes them (and the other way round).
                if (all.FirstOrDefault(a => BuiltinOf(a) == CrewStateStore.PartnerOf(crew))?["spec"]?["stateStore"] is { } store)
                {
                    spec["stateStore"] = store.DeepClone();
                }

                all.Add(new JsonObject
                {
                    ["apiVersion"] = ActorModelReader.ApiVersion,
                    ["kind"] = ActorModelReader.Kind,
                    ["metadata"] = new JsonObject { ["name"] = crew },
                    ["spec"] = spec,
                });
            }
        }

        var objects = new List<JsonObject>();
        var models = new List<ActorModel>();
        var stores = new Dictionary<string, (ActorModel Actor, string? Store)>(StringComparer.Ordinal);
        foreach (var document in all)
        {
            if (document["metadata"] is JsonObject metadata)
            {
                metadata["namespace"] = ns;
                metadata.Remove("uid");
            }

            var actor = ActorModelReader.Read(document, ns);
            var rendered = ComponentsRenderer.Render(actor, available, "the folder's Component manifests");
            models.Add(actor);
            if (actor.IsPauseCrew)
            {
                if (stores.TryGetValue(CrewStateStore.PartnerOf(actor.Builtin)!, out var partner))
                {
                    CrewStateStore.CheckShared(actor, rendered.StateStore, partner.Actor, partner.Store);
                }

                stores[actor.Builtin!] = (actor, rendered.StateStore);
            }

            objects.AddRange(ActorObjectsBuilder.Build(actor, settings, rendered).Select(o => o.Body));
        }

        if (models.Any(m => !m.IsCrew && m.Runtime == Asya.Runtime.Protocol.RuntimeKind.Python))
        {
            objects.Insert(0, KubeJson.ToJson(RuntimeConfigMapBuilder.Build(ns, settings)));
        }

        return objects;
    }

    private static string BuiltinOf(JsonObject actor) =>
        actor["spec"]?["builtin"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : string.Empty;

    /// <summary>Multi-document YAML, strings quoted where YAML would read them as numbers or booleans.</summary>
    public static string ToYaml(IEnumerable<JsonObject> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var serializer = new SerializerBuilder()
            .WithQuotingNecessaryStrings()
            .DisableAliases()
            .WithEventEmitter(next => new LiteralMultilineEmitter(next))
            .Build();
        var writer = new StringWriter();
        foreach (var obj in objects)
        {
            writer.WriteLine("---");
            writer.Write(serializer.Serialize(Plain(obj)));
        }

        return writer.ToString();
    }

    private static object? Plain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => Plain(p.Value), StringComparer.Ordinal),
        JsonArray a => a.Select(Plain).ToList(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => v.TryGetValue<long>(out var l) ? l : v.TryGetValue<int>(out var i) ? i : v.GetValue<double>(),
            _ => null,
        },
        _ => null,
    };
}
