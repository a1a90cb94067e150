using System.Text.Json.Nodes;
using Asya.Operator.Building;
using Asya.Operator.Model;

namespace Asya.Operator.Tests.Building;

/// <summary>x-pause and x-resume run as crew Deployments on one shared state store; x-sink and x-sump keep their choice.</summary>
public sealed class CrewStateStoreTests
{
    private static ActorModel Crew(string role, string? store = null) =>
        BuilderFixtures.Actor(store is null ? $$"""{"builtin": "{{role}}"}""" : $$"""{"builtin": "{{role}}", "stateStore": "{{store}}"}""", name: role);

    private static V1Env SidecarEnv(ActorModel actor, RenderedComponents components) =>
        new(DeploymentBuilder.Build(actor, new OperatorSettings(), components).Spec.Template.Spec.Containers.Single().Env);

    [Theory]
    [InlineData("x-pause")]
    [InlineData("x-resume")]
    public void Build_PauseCrew_SidecarAloneOnTheOnlyStateStore(string role)
    {
        var actor = Crew(role);
        var components = BuilderFixtures.Components(actor, BuilderFixtures.Component("mesh", "pubsub.redis"), BuilderFixtures.Component("checkpoints", "state.redis"));

        var deployment = DeploymentBuilder.Build(actor, new OperatorSettings(), components);

        Assert.Equal([DeploymentBuilder.SidecarContainer], deployment.Spec.Template.Spec.Containers.Select(c => c.Name));
        Assert.Equal(["checkpoints.yaml", "mesh.yaml"], components.Files.Keys.Order(StringComparer.Ordinal));
        var env = SidecarEnv(actor, components);
        Assert.Equal(role, env["ASYA_BUILTIN"]);
        Assert.Equal("checkpoints", env["ASYA_RESULT_STORE"]);
    }

    [Fact]
    public void Render_NamedStore_ChosenAmongSeveral()
    {
        var actor = Crew("x-pause", store: "b");

        var components = BuilderFixtures.Components(
            actor, BuilderFixtures.Component("mesh", "pubsub.redis"), BuilderFixtures.Component("a", "state.redis"), BuilderFixtures.Component("b", "state.postgresql"));

        Assert.Equal("b", components.StateStore);
        Assert.Equal(["b.yaml", "mesh.yaml"], components.Files.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(null, new[] { "mesh" }, "spec.stateStore: x-pause needs a state.* Component shared with x-resume (the checkpoints of paused tasks), and namespace 'team-a' (test) has none")]
    [InlineData(null, new[] { "mesh", "a", "b" }, "spec.stateStore: not set and namespace 'team-a' (test) has several state stores (a, b); name the one x-pause and x-resume share")]
    [InlineData("gone", new[] { "mesh", "a" }, "spec.stateStore: Component 'gone' not found in namespace 'team-a' (test)")]
    [InlineData("mesh", new[] { "mesh", "a" }, "spec.stateStore: Component 'mesh' has type 'pubsub.redis', not a state.* store")]
    public void Render_PauseStoreMissingOrAmbiguous_ClearError(string? store, string[] available, string expected)
    {
        var actor = Crew("x-pause", store);
        var docs = available.Select(n => BuilderFixtures.Component(n, n == "mesh" ? "pubsub.redis" : "state.redis")).ToArray();

        var error = Assert.Throws<ComponentMissingException>(() => BuilderFixtures.Components(actor, docs));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Render_SinkWithoutStateStore_Unchanged()
    {
        var actor = Crew("x-sink");

        var components = BuilderFixtures.Components(actor, BuilderFixtures.Component("mesh", "pubsub.redis"), BuilderFixtures.Component("a", "state.redis"));

        Assert.Null(components.StateStore);
        Assert.Equal(["mesh.yaml"], components.Files.Keys);
        Assert.False(SidecarEnv(actor, components).Has("ASYA_RESULT_STORE"));
    }

    [Fact]
    public void CheckShared_DifferentStores_ErrorNamesBoth()
    {
        var error = Assert.Throws<ComponentMissingException>(() => CrewStateStore.CheckShared(Crew("x-pause"), "a", Crew("x-resume"), "b"));

        Assert.Equal("StateStoreMismatch", error.Reason);
        Assert.Contains("x-pause uses 'a' but x-resume (AsyncActor 'x-resume') uses 'b'", error.Message, StringComparison.Ordinal);
        CrewStateStore.CheckShared(Crew("x-pause"), "a", Crew("x-resume"), "a");
    }

    [Fact]
    public void Read_StateStoreOnUserActor_Error()
    {
        var error = Assert.Throws<ActorSpecException>(() => BuilderFixtures.Actor("""{"image": "i", "handler": "m.f", "stateStore": "a"}"""));

        Assert.StartsWith("spec.stateStore: only crew actors (spec.builtin) keep a state store", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FolderManifests_PauseCrew_PartnerAddedOnTheSameStore_MismatchRefused()
    {
        JsonObject[] components =
        [
            BuilderFixtures.Component("bus", "pubsub.sqlite"),
            BuilderFixtures.Component("checkpoints", "state.redis"),
            BuilderFixtures.Component("other", "state.redis"),
        ];
        var pause = FolderCrew("x-pause", "checkpoints");

        var objects = FolderManifests.Build("team-a", [pause], components, new OperatorSettings());

        var deployments = objects.Where(o => o["kind"]!.GetValue<string>() == "Deployment").ToDictionary(o => o["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(["x-pause", "x-resume", "x-sink", "x-sump"], deployments.Keys.Order(StringComparer.Ordinal));
        foreach (var role in new[] { "x-pause", "x-resume" })
        {
            var env = deployments[role]["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();
            Assert.Contains(env, e => e!["name"]!.GetValue<string>() == "ASYA_RESULT_STORE" && e["value"]!.GetValue<string>() == "checkpoints");
        }

        var error = Assert.Throws<ComponentMissingException>(
            () => FolderManifests.Build("team-a", [pause, FolderCrew("x-resume", "other")], components, new OperatorSettings()));
        Assert.Equal("StateStoreMismatch", error.Reason);
    }

    [Fact]
    public void FolderManifests_NoPause_NoPauseCrew()
    {
        var objects = FolderManifests.Build("team-a", [], [BuilderFixtures.Component("bus", "pubsub.sqlite")], new OperatorSettings());

        Assert.DoesNotContain(objects, o => o["metadata"]!["name"]!.GetValue<string>() is "x-pause" or "x-resume");
    }

    private static JsonObject FolderCrew(string role, string store) =>
        JsonNode.Parse($$$"""{"apiVersion": "asya.sh/v1alpha1", "kind": "AsyncActor", "metadata": {"name": "{{{role}}}"}, "spec": {"builtin": "{{{role}}}", "stateStore": "{{{store}}}"}}""")!.AsObject();

    /// <summary>A sidecar's env entries by name.</summary>
    private sealed class V1Env(IList<k8s.Models.V1EnvVar> env)
    {
        public string? this[string name] => env.Single(e => e.Name == name).Value;

        public bool Has(string name) => env.Any(e => e.Name == name);
    }
}
