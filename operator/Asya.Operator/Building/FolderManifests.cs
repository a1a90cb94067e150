using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Operator.Model;
using YamlDotNet.Serialization;

namespace Asya.Operator.Building;

/// <summary>
/// The operator-free equivalent of a folder's actors (<c>asya manifests</c>): per actor its components Secret (plus
/// secret access objects), Deployment and ScaledObject, the crew x-sink/x-sump when the folder does not define them, and
/// the runtime ConfigMap — built by the same functions the operator uses. Objects carry no owner (there is no AsyncActor
/// in the cluster), so <c>kubectl delete -f</c> removes them.
/// </summary>
public static class FolderManifests
{
    /// <param name="ns">Kubernetes namespace and mesh namespace (queue prefix).</param>
    /// <param name="actors">AsyncActor documents (user actors and, optionally, crew).</param>
    /// <param name="components">Component documents available to the actors.</param>
    /// <param name="settings">Sidecar image, scaler address and the other operator settings.</param>
    public static IReadOnlyList<JsonObject> Build(string ns, IReadOnlyList<JsonObject> actors, IReadOnlyList<JsonObject> components, OperatorSettings settings)
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
        foreach (var crew in new[] { Asya.Runtime.Protocol.ActorNames.Sink, Asya.Runtime.Protocol.ActorNames.Sump })
        {
            if (!all.Any(a => (a["spec"]?["builtin"]?.GetValue<string>() ?? string.Empty) == crew))
            {
                all.Add(new JsonObject
                {
                    ["apiVersion"] = ActorModelReader.ApiVersion,
                    ["kind"] = ActorModelReader.Kind,
                    ["metadata"] = new JsonObject { ["name"] = crew },
                    ["spec"] = new JsonObject
                    {
                        ["builtin"] = crew,
                        // The crew is always up: results are stored as soon as they arrive.
                        ["scaling"] = new JsonObject { ["minReplicaCount"] = 1 },
                    },
                });
            }
        }

        var objects = new List<JsonObject>();
        var models = new List<ActorModel>();
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
            objects.AddRange(ActorObjectsBuilder.Build(actor, settings, rendered).Select(o => o.Body));
        }

        if (models.Any(m => !m.IsCrew && m.Runtime == Asya.Runtime.Protocol.RuntimeKind.Python))
        {
            objects.Insert(0, KubeJson.ToJson(RuntimeConfigMapBuilder.Build(ns, settings)));
        }

        return objects;
    }

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
