using System.Text.Json.Nodes;
using Asya.Operator.Reconcile;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Asya.Operator.Tests.Scenarios;

public sealed class OperatorScenarioTests
{
    [Fact]
    public async Task Create_ActorWithTransport_BuildsEveryObjectQueueAndStatus()
    {
        await using var h = await OperatorHarness.StartAsync();
        h.Store.Create(OperatorHarness.Actor("judge"));

        await h.WaitAsync(x => x.Phase("judge") is not null, "a status on judge");
        var deployment = h.Get("Deployment", "judge");
        Assert.NotNull(deployment);
        var containers = deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["asya-runtime", "asya-sidecar"], containers.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Null(deployment["spec"]!["replicas"]);
        Assert.NotNull(h.Get("ScaledObject", "judge"));
        Assert.NotNull(h.Get("Secret", "asya-judge-components"));
        Assert.NotNull(h.Get("ConfigMap", "asya-runtime"));
        Assert.Contains("asya-team-a-judge", h.Queues());

        var actor = h.Get("AsyncActor", "judge")!;
        Assert.Contains("asya.sh/finalizer", actor["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal("Creating", h.Phase("judge"));
        Assert.Equal("True", h.Condition("judge", "TransportReady")!["status"]!.GetValue<string>());
        Assert.Equal(0, actor["status"]!["queueDepth"]!.GetValue<long>());
        Assert.Equal(actor["metadata"]!["generation"]!.GetValue<long>(), actor["status"]!["observedGeneration"]!.GetValue<long>());
    }

    [Fact]
    public async Task Create_OperatorGatewayUrl_EverySidecarGetsItAsAsyaGatewayUrl()
    {
        await using var h = await OperatorHarness.StartAsync(gatewayUrl: "http://asya-gateway.asya-apps.svc:8081");
        h.Store.Create(OperatorHarness.Actor("judge"));

        await h.WaitAsync(x => x.Get("Deployment", "judge") is not null, "the Deployment of judge");
        var sidecar = h.Get("Deployment", "judge")!["spec"]!["template"]!["spec"]!["containers"]!.AsArray()
            .Single(c => c!["name"]!.GetValue<string>() == "asya-sidecar")!;
        var env = sidecar["env"]!.AsArray().Where(e => e!["name"]!.GetValue<string>() == "ASYA_GATEWAY_URL").ToList();
        Assert.Equal("http://asya-gateway.asya-apps.svc:8081", Assert.Single(env)!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_DeploymentBecomesReady_PhaseReady()
    {
        await using var h = await OperatorHarness.StartAsync();
        h.Store.Create(OperatorHarness.Actor("judge"));
        await h.WaitAsync(x => x.Phase("judge") == "Creating", "judge Creating");

        // What the Deployment controller and KEDA would do.
        var deployment = h.Get("Deployment", "judge")!;
        deployment["spec"]!["replicas"] = 1;
        var updated = h.Store.Replace(h.Store.ResourceOf(deployment), OperatorHarness.Namespace, "judge", deployment);
        updated["status"] = new JsonObject { ["replicas"] = 1, ["readyReplicas"] = 1 };
        h.Store.Replace(h.Store.ResourceOf(updated), OperatorHarness.Namespace, "judge", updated, status: true);

        await h.WaitAsync(x => x.Phase("judge") == "Ready", "judge Ready");
        Assert.Equal(1, h.Get("AsyncActor", "judge")!["status"]!["readyReplicas"]!.GetValue<int>());
        Assert.Equal(1, h.Get("Deployment", "judge")!["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task Create_DaprComponentCrdPresent_ReadsComponentsFromIt()
    {
        await using var h = await OperatorHarness.StartAsync(dapr: true);
        h.Store.Create(OperatorHarness.Actor("judge"));

        await h.WaitAsync(x => x.Get("Deployment", "judge") is not null, "judge Deployment");
        var secret = h.Get("Secret", "asya-judge-components")!;
        Assert.Contains("pubsub.sqlite", secret["stringData"]!["mesh.yaml"]!.GetValue<string>());
    }

    [Fact]
    public async Task SpecChange_Image_DeploymentUpdated()
    {
        await using var h = await OperatorHarness.StartAsync();
        h.Store.Create(OperatorHarness.Actor("judge"));
        await h.WaitAsync(x => x.Phase("judge") is not null, "judge status");

        var actor = h.Get("AsyncActor", "judge")!;
        actor["spec"]!["image"] = "my/judge:v2";
        actor["spec"]!["concurrency"] = 4;
        h.Store.Replace(OperatorHarness.AsyncActors, OperatorHarness.Namespace, "judge", actor);

        await h.WaitAsync(
            x => x.Get("Deployment", "judge")?["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"]?.GetValue<string>() == "my/judge:v2",
            "the Deployment to run my/judge:v2");
        var sidecarEnv = h.Get("Deployment", "judge")!["spec"]!["template"]!["spec"]!["containers"]![1]!["env"]!.AsArray();
        Assert.Contains(sidecarEnv, e => e!["name"]!.GetValue<string>() == "ASYA_CONCURRENCY" && e["value"]!.GetValue<string>() == "4");
        await h.WaitAsync(
            x => x.Get("AsyncActor", "judge")?["status"]?["observedGeneration"]?.GetValue<long>() == x.Get("AsyncActor", "judge")?["metadata"]?["generation"]?.GetValue<long>(),
            "observedGeneration to catch up");
    }

    [Fact]
    public async Task SpecChange_ScalingDisabled_ScaledObjectDeletedAndReplicasSet()
    {
        await using var h = await OperatorHarness.StartAsync();
        h.Store.Create(OperatorHarness.Actor("judge"));
        await h.WaitAsync(x => x.Get("ScaledObject", "judge") is not null, "judge ScaledObject");

        var actor = h.Get("AsyncActor", "judge")!;
        actor["spec"]!["scaling"] = new JsonObject { ["enabled"] = false };
        actor["spec"]!["replicas"] = 2;
        h.Store.Replace(OperatorHarness.AsyncActors, OperatorHarness.Namespace, "judge", actor);

        await h.WaitAsync(x => x.Get("ScaledObject", "judge") is null, "the ScaledObject to be deleted");
        await h.WaitAsync(x => x.Get("Deployment", "judge")?["spec"]?["replicas"]?.GetValue<int>() == 2, "replicas 2 on the Deployment");
        await h.WaitAsync(x => x.Condition("judge", "ScalingReady")?["reason"]?.GetValue<string>() == "ScalingDisabled", "ScalingDisabled condition");
    }

    [Fact]
    public async Task Create_TransportComponentMissing_FalseConditionAndNoDeployment()
    {
        await using var h = await OperatorHarness.StartAsync(withTransport: false);
        h.Store.Create(OperatorHarness.Actor("judge"));

        await h.WaitAsync(x => x.Condition("judge", "TransportReady") is not null, "a TransportReady condition");
        var condition = h.Condition("judge", "TransportReady")!;
        Assert.Equal("False", condition["status"]!.GetValue<string>());
        Assert.Equal("ComponentNotFound", condition["reason"]!.GetValue<string>());
        Assert.Contains("'mesh' not found in namespace 'team-a'", condition["message"]!.GetValue<string>());
        Assert.Equal("Error", h.Phase("judge"));
        Assert.Null(h.Get("Deployment", "judge"));
        Assert.Null(h.Get("ScaledObject", "judge"));
        Assert.Null(h.Get("Secret", "asya-judge-components"));

        // The retry with backoff picks the component up once it exists.
        h.CreateTransport();
        await h.WaitAsync(x => x.Get("Deployment", "judge") is not null, "the Deployment once the component exists");
        await h.WaitAsync(x => x.Condition("judge", "TransportReady")?["status"]?.GetValue<string>() == "True", "TransportReady True");
    }

    [Fact]
    public async Task Delete_Actor_FinalizerDeletesQueueThenObjectGoesWithItsChildren()
    {
        await using var h = await OperatorHarness.StartAsync();
        h.Store.Create(OperatorHarness.Actor("judge"));
        await h.WaitAsync(x => x.Phase("judge") is not null, "judge status");
        Assert.Contains("asya-team-a-judge", h.Queues());

        h.Store.Delete(OperatorHarness.AsyncActors, OperatorHarness.Namespace, "judge");

        await h.WaitAsync(x => x.Get("AsyncActor", "judge") is null, "the AsyncActor to be gone");
        Assert.DoesNotContain("asya-team-a-judge", h.Queues());
        Assert.Null(h.Get("Deployment", "judge"));
        Assert.Null(h.Get("ScaledObject", "judge"));
        Assert.Null(h.Get("Secret", "asya-judge-components"));
        Assert.NotNull(h.Get("ConfigMap", "asya-runtime"));
    }

    [Fact]
    public async Task Delete_QueueCannotBeDeleted_LogNamesTheQueueOfSpecActor()
    {
        // The queue belongs to spec.actor, not to the object's metadata.name.
        await using var h = await OperatorHarness.StartAsync();
        h.Store.Create(OperatorHarness.Actor("judge-object", new JsonObject
        {
            ["actor"] = "judge", ["image"] = "python:3.11-slim", ["handler"] = "handler.process", ["transport"] = "ghost",
        }));
        await h.WaitAsync(x => x.Get("AsyncActor", "judge-object")?["metadata"]?["finalizers"] is JsonArray { Count: > 0 }, "the finalizer");
        await h.StopOperatorAsync();
        h.Store.Delete(OperatorHarness.AsyncActors, OperatorHarness.Namespace, "judge-object");

        using var logs = new FakeLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs));
        services.AddAsyaOperator(new OperatorSettings(), h.Client);
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ActorReconciler>().ReconcileAsync(OperatorHarness.Namespace, "judge-object", CancellationToken.None);

        var failed = Assert.Single(logs.Collector.GetSnapshot(), r => r.Message.Contains("queue", StringComparison.Ordinal) && r.Level == LogLevel.Warning
            && r.Message.Contains("ghost", StringComparison.Ordinal));
        Assert.Contains("asya-team-a-judge ", failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("asya-team-a-judge-object", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_NothingChanged_MakesNoWrites()
    {
        await using var h = await OperatorHarness.StartAsync();
        h.Store.Create(OperatorHarness.Actor("judge"));
        h.Store.Create(OperatorHarness.Actor("sink", new JsonObject { ["builtin"] = "x-sink", ["transport"] = "mesh" }));
        await h.WaitAsync(x => x.Phase("judge") is not null && x.Phase("sink") is not null, "both actors with a status");
        await h.StopOperatorAsync();

        await using var services = h.NewReconcilerServices();
        var reconciler = services.GetRequiredService<ActorReconciler>();
        var before = h.Server.WriteCount;
        Assert.Equal(ReconcileResult.Done, await reconciler.ReconcileAsync(OperatorHarness.Namespace, "judge", CancellationToken.None));
        Assert.Equal(ReconcileResult.Done, await reconciler.ReconcileAsync(OperatorHarness.Namespace, "sink", CancellationToken.None));

        Assert.Equal(before, h.Server.WriteCount);
    }

    [Fact]
    public async Task Reconcile_AfterDriftOfOwnedObject_RestoresItWithOneWrite()
    {
        await using var h = await OperatorHarness.StartAsync();
        h.Store.Create(OperatorHarness.Actor("judge"));
        await h.WaitAsync(x => x.Phase("judge") is not null, "judge status");
        await h.StopOperatorAsync();
        h.Store.Delete(OperatorHarness.ScaledObjects, OperatorHarness.Namespace, "judge");

        await using var services = h.NewReconcilerServices();
        var before = h.Server.WriteCount;
        await services.GetRequiredService<ActorReconciler>().ReconcileAsync(OperatorHarness.Namespace, "judge", CancellationToken.None);

        Assert.NotNull(h.Get("ScaledObject", "judge"));
        Assert.Equal(before + 1, h.Server.WriteCount);
    }

    [Fact]
    public async Task Create_FiftyActors_AllReconciled()
    {
        await using var h = await OperatorHarness.StartAsync(workers: 8);
        var names = Enumerable.Range(0, 50).Select(i => $"actor-{i:00}").ToList();
        foreach (var name in names)
        {
            h.Store.Create(OperatorHarness.Actor(name));
        }

        await h.WaitAsync(x => names.All(n => x.Phase(n) == "Creating"), "all 50 actors with a status");
        Assert.All(names, n => Assert.NotNull(h.Get("Deployment", n)));
        Assert.All(names, n => Assert.NotNull(h.Get("ScaledObject", n)));
        Assert.Equal(names.Select(n => $"asya-team-a-{n}").Order(StringComparer.Ordinal), h.Queues());
    }

    [Fact]
    public async Task Create_InvalidHandler_ValidationErrorAndNoObjects()
    {
        await using var h = await OperatorHarness.StartAsync();
        h.Store.Create(OperatorHarness.Actor("judge", new JsonObject { ["image"] = "x", ["handler"] = "not a handler", ["transport"] = "mesh" }));

        await h.WaitAsync(x => x.Phase("judge") == "Error", "judge Error");
        var condition = h.Condition("judge", "WorkloadReady")!;
        Assert.Equal("ValidationError", condition["reason"]!.GetValue<string>());
        Assert.Contains("spec.handler", condition["message"]!.GetValue<string>());
        Assert.Null(h.Get("Deployment", "judge"));
    }

    [Fact]
    public async Task Create_ComponentWithSecretKeyRef_RoleGrantsOnlyThatSecret()
    {
        await using var h = await OperatorHarness.StartAsync(withTransport: false, manageQueues: false);
        h.Store.Create(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "bus", ["namespace"] = OperatorHarness.Namespace, ["labels"] = new JsonObject { ["asya.sh/components"] = "true" } },
            ["data"] = new JsonObject
            {
                ["bus.yaml"] = """
                    apiVersion: dapr.io/v1alpha1
                    kind: Component
                    metadata: {name: mesh}
                    spec:
                      type: pubsub.redis
                      version: v1
                      metadata:
                        - {name: redisHost, value: "redis:6379"}
                        - name: redisPassword
                          secretKeyRef: {name: redis-auth, key: password}
                    """,
            },
        });
        h.Store.Create(OperatorHarness.Actor("judge"));

        await h.WaitAsync(x => x.Get("Deployment", "judge") is not null, "judge Deployment");
        var role = h.Get("Role", "asya-judge")!;
        Assert.Equal(["redis-auth"], role["rules"]![0]!["resourceNames"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.NotNull(h.Get("RoleBinding", "asya-judge"));
        Assert.NotNull(h.Get("ServiceAccount", "asya-judge"));
        Assert.Equal("asya-judge", h.Get("Deployment", "judge")!["spec"]!["template"]!["spec"]!["serviceAccountName"]!.GetValue<string>());
        Assert.Null(h.Get("AsyncActor", "judge")!["metadata"]!["finalizers"]);
        var files = h.Get("Secret", "asya-judge-components")!["stringData"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal);
        Assert.Equal(["kubernetes.yaml", "mesh.yaml"], files);
    }

    [Fact]
    public async Task ComponentChange_ConfigMapEdited_SecretAndPodTemplateFollow()
    {
        await using var h = await OperatorHarness.StartAsync();
        h.Store.Create(OperatorHarness.Actor("judge"));
        await h.WaitAsync(x => x.Get("Deployment", "judge") is not null, "judge Deployment");
        var hash = PodHash(h);

        var map = h.Get("ConfigMap", "mesh-components")!;
        var doc = JsonNode.Parse(map["data"]!["mesh.yaml"]!.GetValue<string>())!;
        doc["spec"]!["metadata"]!.AsArray().Add(new JsonObject { ["name"] = "pollInterval", ["value"] = "50ms" });
        map["data"]!["mesh.yaml"] = doc.ToJsonString();
        h.Store.Replace(h.Store.ResourceOf(map), OperatorHarness.Namespace, "mesh-components", map);

        await h.WaitAsync(x => PodHash(x) != hash, "the pod template to change with the component");
        Assert.Contains("pollInterval", h.Get("Secret", "asya-judge-components")!["stringData"]!["mesh.yaml"]!.GetValue<string>());
    }

    [Fact]
    public async Task ComponentChange_ConfigMapManifestUnparsable_ErrorStatusNamingKeyAndLine()
    {
        await using var h = await OperatorHarness.StartAsync();
        var map = h.Get("ConfigMap", "mesh-components")!;
        map["data"]!["broken.yaml"] = "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: other\n spec: [oops\n";
        h.Store.Replace(h.Store.ResourceOf(map), OperatorHarness.Namespace, "mesh-components", map);
        h.Store.Create(OperatorHarness.Actor("judge"));

        await h.WaitAsync(x => x.Condition("judge", "TransportReady") is not null, "a TransportReady condition");
        var condition = h.Condition("judge", "TransportReady")!;
        Assert.Equal(("False", "ManifestInvalid"), (condition["status"]!.GetValue<string>(), condition["reason"]!.GetValue<string>()));
        Assert.StartsWith($"ConfigMap {OperatorHarness.Namespace}/mesh-components key broken.yaml:", condition["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Error", h.Phase("judge"));
        Assert.Null(h.Get("Deployment", "judge"));
    }

    private static string? PodHash(OperatorHarness h) =>
        h.Get("Deployment", "judge")?["spec"]?["template"]?["metadata"]?["annotations"]?["asya.sh/components-hash"]?.GetValue<string>();
}
