using System.Text.Json.Nodes;

namespace Asya.Operator.Tests.Scenarios;

/// <summary>x-pause and x-resume AsyncActors reconcile into crew Deployments on the state store they share.</summary>
public sealed class PauseCrewScenarioTests
{
    private static JsonObject Crew(string role, string? store = null)
    {
        var spec = new JsonObject { ["builtin"] = role, ["transport"] = "mesh" };
        if (store is not null)
        {
            spec["stateStore"] = store;
        }

        return OperatorHarness.Actor(role, spec);
    }

    [Fact]
    public async Task Create_PauseAndResume_CrewDeploymentsOnTheNamespacesStateStore()
    {
        await using var h = await OperatorHarness.StartAsync();
        h.CreateStateStore("checkpoints");
        h.Store.Create(Crew("x-pause"));
        h.Store.Create(Crew("x-resume"));

        foreach (var role in new[] { "x-pause", "x-resume" })
        {
            await h.WaitAsync(x => x.Phase(role) is not null, $"a status on {role}");
            var containers = h.Get("Deployment", role)!["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
            var sidecar = Assert.Single(containers)!;
            Assert.Equal("asya-sidecar", sidecar["name"]!.GetValue<string>());
            var env = sidecar["env"]!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!["value"]?.GetValue<string>());
            Assert.Equal(role, env["ASYA_BUILTIN"]);
            Assert.Equal("checkpoints", env["ASYA_RESULT_STORE"]);
            Assert.Contains("state.sqlite", h.Get("Secret", $"asya-{role}-components")!["stringData"]!["checkpoints.yaml"]!.GetValue<string>());
            Assert.Equal("True", h.Condition(role, "TransportReady")!["status"]!.GetValue<string>());
            Assert.Contains($"asya-team-a-{role}", h.Queues());
        }
    }

    [Fact]
    public async Task Create_PauseAndResumeOnDifferentStores_ErrorOnBothNamingTheStores()
    {
        await using var h = await OperatorHarness.StartAsync(startOperator: false);
        h.CreateStateStore("a");
        h.CreateStateStore("b");
        h.Store.Create(Crew("x-pause", "a"));
        h.Store.Create(Crew("x-resume", "b"));
        await h.StartOperatorAsync();

        foreach (var role in new[] { "x-pause", "x-resume" })
        {
            await h.WaitAsync(x => x.Condition(role, "TransportReady")?["reason"]?.GetValue<string>() == "StateStoreMismatch", $"StateStoreMismatch on {role}");
            Assert.Equal("Error", h.Phase(role));
            Assert.Null(h.Get("Deployment", role));
        }

        Assert.Contains("x-pause uses 'a' but x-resume (AsyncActor 'x-resume') uses 'b'", h.Condition("x-pause", "TransportReady")!["message"]!.GetValue<string>());
    }
}
