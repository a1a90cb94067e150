using System.Text.Json.Nodes;
using Asya.Operator.Building;

namespace Asya.Operator.Tests.Building;

public sealed class ComponentsRendererTests
{
    [Fact]
    public void Render_NamedTransport_OnlyThatComponentWithoutClusterBookkeeping()
    {
        var actor = BuilderFixtures.Actor();
        var rendered = BuilderFixtures.Components(actor, BuilderFixtures.Component("mesh", "pubsub.redis"), BuilderFixtures.Component("other", "pubsub.sqlite"));

        Assert.Equal("mesh", rendered.Transport);
        Assert.Equal(["mesh.yaml"], rendered.Files.Keys);
        var doc = JsonNode.Parse(rendered.Files["mesh.yaml"])!;
        Assert.Equal("mesh", doc["metadata"]!["name"]!.GetValue<string>());
        Assert.Null(doc["metadata"]!["uid"]);
        Assert.Null(doc["metadata"]!["namespace"]);
        Assert.Empty(rendered.SecretNames);
    }

    [Fact]
    public void Render_NoTransportNamed_TheOnlyPubsub()
    {
        var actor = BuilderFixtures.Actor("""{"image": "i", "handler": "m.f"}""");
        var rendered = BuilderFixtures.Components(actor, BuilderFixtures.Component("bus", "pubsub.redis"), BuilderFixtures.Component("results", "state.redis"));

        Assert.Equal("bus", rendered.Transport);
    }

    [Fact]
    public void Render_MissingTransport_ErrorNamesComponentAndNamespace()
    {
        var actor = BuilderFixtures.Actor();
        var error = Assert.Throws<ComponentMissingException>(() => BuilderFixtures.Components(actor, BuilderFixtures.Component("other", "pubsub.redis")));

        Assert.Contains("spec.transport: Component 'mesh' not found in namespace 'team-a'", error.Message);
    }

    [Fact]
    public void Render_TransportOfWrongType_Error()
    {
        var actor = BuilderFixtures.Actor();
        var error = Assert.Throws<ComponentMissingException>(() => BuilderFixtures.Components(actor, BuilderFixtures.Component("mesh", "state.redis")));

        Assert.Contains("not a pubsub.* transport", error.Message);
    }

    [Fact]
    public void Render_SeveralTransportsNoneNamed_ErrorListsThem()
    {
        var actor = BuilderFixtures.Actor("""{"image": "i", "handler": "m.f"}""");
        var error = Assert.Throws<ComponentMissingException>(() => BuilderFixtures.Components(actor, BuilderFixtures.Component("a", "pubsub.redis"), BuilderFixtures.Component("b", "pubsub.sqlite")));

        Assert.Contains("several transports (a, b)", error.Message);
    }

    [Fact]
    public void Render_SecretKeyRefWithoutStore_KubernetesStoreAddedAndSecretListed()
    {
        var actor = BuilderFixtures.Actor();
        var rendered = BuilderFixtures.Components(actor, BuilderFixtures.Component("mesh", "pubsub.redis", """[{"name": "redisPassword", "secretKeyRef": {"name": "redis-auth", "key": "password"}}]"""));

        Assert.Equal(["redis-auth"], rendered.SecretNames);
        Assert.Equal(["kubernetes.yaml", "mesh.yaml"], rendered.Files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("kubernetes", JsonNode.Parse(rendered.Files["mesh.yaml"])!["auth"]!["secretStore"]!.GetValue<string>());
        var store = JsonNode.Parse(rendered.Files["kubernetes.yaml"])!;
        Assert.Equal("secretstores.kubernetes", store["spec"]!["type"]!.GetValue<string>());
        Assert.Equal("team-a", store["spec"]!["metadata"]![0]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void Render_SecretStoreOtherThanKubernetes_NoSecretAccess()
    {
        var actor = BuilderFixtures.Actor();
        var rendered = BuilderFixtures.Components(
            actor,
            BuilderFixtures.Component("mesh", "pubsub.redis", """[{"name": "redisPassword", "secretKeyRef": {"name": "REDIS_PASSWORD"}}]""", auth: "env"),
            BuilderFixtures.Component("env", "secretstores.local.env"));

        Assert.Empty(rendered.SecretNames);
        Assert.Contains("env.yaml", rendered.Files.Keys);
    }

    [Fact]
    public void Render_StateProxyComponentMissing_ErrorNamesField()
    {
        var actor = BuilderFixtures.Actor("""{"image": "i", "handler": "m.f", "transport": "mesh", "stateProxy": [{"name": "memory", "mount": "/state", "component": "redis-state"}]}""");
        var error = Assert.Throws<ComponentMissingException>(() => BuilderFixtures.Mesh(actor));

        Assert.Contains("spec.stateProxy[0].component: Component 'redis-state' not found", error.Message);
    }

    [Fact]
    public void Render_SameInputs_SameHash()
    {
        var actor = BuilderFixtures.Actor();
        Assert.Equal(BuilderFixtures.Mesh(actor).Hash, BuilderFixtures.Mesh(actor).Hash);
    }
}
