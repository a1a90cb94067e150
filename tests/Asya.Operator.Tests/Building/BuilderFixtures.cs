using System.Text.Json.Nodes;
using Asya.Operator.Building;
using Asya.Operator.Model;

namespace Asya.Operator.Tests.Building;

internal static class BuilderFixtures
{
    public static ActorModel Actor(string spec = """{"image": "my/judge:1", "handler": "judge.handle", "transport": "mesh"}""", string name = "judge") =>
        ActorModelReader.Read(new JsonObject
        {
            ["apiVersion"] = "asya.sh/v1alpha1",
            ["kind"] = "AsyncActor",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "team-a", ["uid"] = "uid-1" },
            ["spec"] = JsonNode.Parse(spec),
        });

    public static JsonObject Component(string name, string type, string? metadata = null, string? auth = null)
    {
        var doc = new JsonObject
        {
            ["apiVersion"] = "dapr.io/v1alpha1",
            ["kind"] = "Component",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "team-a", ["uid"] = "x", ["resourceVersion"] = "9" },
            ["spec"] = new JsonObject { ["type"] = type, ["version"] = "v1", ["metadata"] = JsonNode.Parse(metadata ?? "[]") },
        };
        if (auth is not null)
        {
            doc["auth"] = new JsonObject { ["secretStore"] = auth };
        }

        return doc;
    }

    public static RenderedComponents Components(ActorModel actor, params JsonObject[] docs) =>
        ComponentsRenderer.Render(actor, docs.ToDictionary(d => d["metadata"]!["name"]!.GetValue<string>()), "test");

    public static RenderedComponents Mesh(ActorModel actor) => Components(actor, Component("mesh", "pubsub.redis"));
}
