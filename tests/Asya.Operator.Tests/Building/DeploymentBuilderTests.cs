using Asya.Operator.Building;
using k8s.Models;

namespace Asya.Operator.Tests.Building;

public sealed class DeploymentBuilderTests
{
    private static readonly OperatorSettings Settings = new() { SidecarImage = "registry/asya-sidecar:1" };

    [Fact]
    public void Build_PythonActor_RuntimeAndSidecarShareSocketAndProcesses()
    {
        var actor = BuilderFixtures.Actor();
        var deployment = DeploymentBuilder.Build(actor, Settings, BuilderFixtures.Mesh(actor));

        var pod = deployment.Spec.Template.Spec;
        Assert.True(pod.ShareProcessNamespace);
        Assert.Equal(["asya-runtime", "asya-sidecar"], pod.Containers.Select(c => c.Name));
        var runtime = pod.Containers[0];
        Assert.Equal("my/judge:1", runtime.Image);
        Assert.Equal(["python3", "/opt/asya/asya_runtime.py"], runtime.Command);
        Assert.Contains(runtime.Env, e => e.Name == "ASYA_HANDLER" && e.Value == "judge.handle");
        Assert.Contains(runtime.VolumeMounts, m => m.MountPath == "/var/run/asya" && m.Name == "socket-dir");
        Assert.Contains(runtime.VolumeMounts, m => m.MountPath == "/opt/asya/asya_runtime.py" && m.SubPath == "asya_runtime.py");
        Assert.NotNull(runtime.StartupProbe);
        var sidecar = pod.Containers[1];
        Assert.Equal("registry/asya-sidecar:1", sidecar.Image);
        Assert.Contains(sidecar.VolumeMounts, m => m.MountPath == "/var/run/asya" && m.Name == "socket-dir");
        Assert.Contains(sidecar.VolumeMounts, m => m.MountPath == DeploymentBuilder.ComponentsPath && m.ReadOnlyProperty == true);
        Assert.Equal("/healthz", sidecar.LivenessProbe.HttpGet.Path);
        Assert.Equal("/readyz", sidecar.ReadinessProbe.HttpGet.Path);
        Assert.Contains(pod.Volumes, v => v.Name == "socket-dir" && v.EmptyDir is not null);
        Assert.Contains(pod.Volumes, v => v.Secret?.SecretName == "asya-judge-components");
        Assert.Contains(pod.Volumes, v => v.ConfigMap?.Name == "asya-runtime");
    }

    [Fact]
    public void Build_SidecarEnv_IsTheSidecarContract()
    {
        var actor = BuilderFixtures.Actor("""{"image": "i", "handler": "m.f", "transport": "mesh", "concurrency": 3, "resiliency": {"actorTimeout": "30s", "policies": {"default": {"maxAttempts": 2}}}}""");
        var env = DeploymentBuilder.Build(actor, Settings, BuilderFixtures.Mesh(actor)).Spec.Template.Spec.Containers[1].Env
            .ToDictionary(e => e.Name, e => e.Value ?? e.ValueFrom?.FieldRef?.FieldPath);

        Assert.Equal("judge", env["ASYA_ACTOR_NAME"]);
        Assert.Equal("team-a", env["ASYA_NAMESPACE"]);
        Assert.Equal(DeploymentBuilder.ComponentsPath, env["ASYA_RESOURCES_PATH"]);
        Assert.Equal("mesh", env["ASYA_TRANSPORT_COMPONENT"]);
        Assert.Equal("3", env["ASYA_CONCURRENCY"]);
        Assert.Equal("/var/run/asya", env["ASYA_SOCKET_DIR"]);
        Assert.Equal(":8080", env["ASYA_METRICS_ADDR"]);
        Assert.Equal("30s", env["ASYA_DRAIN_TIMEOUT"]);
        Assert.Equal("30s", env["ASYA_RESILIENCY_ACTOR_TIMEOUT"]);
        Assert.Equal("""{"default":{"maxAttempts":2}}""", env["ASYA_RESILIENCY_POLICIES"]);
        Assert.Equal("metadata.name", env["POD_NAME"]);
        Assert.Equal("metadata.namespace", env["NAMESPACE"]);
        Assert.False(env.ContainsKey("ASYA_BUILTIN"));
    }

    [Fact]
    public void Build_GracePeriod_AboveDrainTimeout()
    {
        var actor = BuilderFixtures.Actor();
        var deployment = DeploymentBuilder.Build(actor, Settings with { DrainTimeout = TimeSpan.FromSeconds(60) }, BuilderFixtures.Mesh(actor));

        Assert.True(deployment.Spec.Template.Spec.TerminationGracePeriodSeconds > 60);
    }

    [Fact]
    public void Build_ScalingEnabled_LeavesReplicasToKeda()
    {
        var actor = BuilderFixtures.Actor();
        Assert.Null(DeploymentBuilder.Build(actor, Settings, BuilderFixtures.Mesh(actor)).Spec.Replicas);

        var fixedActor = BuilderFixtures.Actor("""{"image": "i", "handler": "m.f", "scaling": {"enabled": false}, "replicas": 3}""");
        Assert.Equal(3, DeploymentBuilder.Build(fixedActor, Settings, BuilderFixtures.Mesh(fixedActor)).Spec.Replicas);
    }

    [Fact]
    public void Build_CrewActor_NoRuntimeContainerNoSharedProcesses()
    {
        var actor = BuilderFixtures.Actor("""{"builtin": "x-sink"}""", name: "x-sink");
        var pod = DeploymentBuilder.Build(actor, Settings, BuilderFixtures.Mesh(actor)).Spec.Template.Spec;

        Assert.Equal(["asya-sidecar"], pod.Containers.Select(c => c.Name));
        Assert.Null(pod.ShareProcessNamespace);
        Assert.Contains(pod.Containers[0].Env, e => e.Name == "ASYA_BUILTIN" && e.Value == "x-sink");
        Assert.DoesNotContain(pod.Volumes, v => v.ConfigMap is not null);
        Assert.Equal("crew", pod.Containers.Count == 1 ? DeploymentBuilder.Build(actor, Settings, BuilderFixtures.Mesh(actor)).Metadata.Labels[Labels.Component] : null);
    }

    [Fact]
    public void Build_UserFields_PassedThrough()
    {
        var actor = BuilderFixtures.Actor("""
            {"image": "i", "handler": "m.f",
             "env": [{"name": "MODEL", "value": "small"}],
             "resources": {"limits": {"cpu": "2", "memory": "4Gi"}},
             "nodeSelector": {"gpu": "true"},
             "tolerations": [{"key": "gpu", "operator": "Exists", "effect": "NoSchedule"}],
             "volumes": [{"name": "models", "emptyDir": {}}],
             "volumeMounts": [{"name": "models", "mountPath": "/models"}],
             "sidecar": {"image": "custom/sidecar:2", "env": [{"name": "ASYA_LOG_LEVEL", "value": "debug"}]}}
            """);
        var deployment = DeploymentBuilder.Build(actor, Settings, BuilderFixtures.Mesh(actor));
        var pod = deployment.Spec.Template.Spec;

        Assert.Contains(pod.Containers[0].Env, e => e.Name == "MODEL" && e.Value == "small");
        Assert.Equal("4Gi", pod.Containers[0].Resources.Limits["memory"].ToString());
        Assert.Equal("true", pod.NodeSelector["gpu"]);
        Assert.Equal("gpu", pod.Tolerations.Single().Key);
        Assert.Contains(pod.Volumes, v => v.Name == "models");
        Assert.Contains(pod.Containers[0].VolumeMounts, m => m.MountPath == "/models");
        Assert.Equal("custom/sidecar:2", pod.Containers[1].Image);
        Assert.Equal("ASYA_LOG_LEVEL", pod.Containers[1].Env[^1].Name);
        Assert.NotNull(pod.Containers[1].Resources.Limits);
    }

    [Fact]
    public void Build_Labels_AppKubernetesIoAndActor()
    {
        var actor = BuilderFixtures.Actor();
        var deployment = DeploymentBuilder.Build(actor, Settings, BuilderFixtures.Mesh(actor));

        var labels = deployment.Spec.Template.Metadata.Labels;
        Assert.Equal("judge", labels["asya.sh/actor"]);
        Assert.Equal("judge", labels["app.kubernetes.io/name"]);
        Assert.Equal("asya", labels["app.kubernetes.io/part-of"]);
        Assert.Equal("asya-operator", labels["app.kubernetes.io/managed-by"]);
        Assert.All(deployment.Spec.Selector.MatchLabels, l => Assert.Equal(l.Value, labels[l.Key]));
        Assert.Equal("uid-1", deployment.Metadata.OwnerReferences.Single().Uid);
        Assert.True(deployment.Metadata.OwnerReferences.Single().Controller);
    }

    [Fact]
    public void Build_ComponentsChange_PodTemplateAnnotationChanges()
    {
        var actor = BuilderFixtures.Actor();
        var a = DeploymentBuilder.Build(actor, Settings, BuilderFixtures.Components(actor, BuilderFixtures.Component("mesh", "pubsub.redis", """[{"name": "redisHost", "value": "a:6379"}]""")));
        var b = DeploymentBuilder.Build(actor, Settings, BuilderFixtures.Components(actor, BuilderFixtures.Component("mesh", "pubsub.redis", """[{"name": "redisHost", "value": "b:6379"}]""")));

        Assert.NotEqual(a.Spec.Template.Metadata.Annotations[Labels.ComponentsHash], b.Spec.Template.Metadata.Annotations[Labels.ComponentsHash]);
    }

    [Fact]
    public void Build_SecretReferences_UsesTheActorServiceAccount()
    {
        var actor = BuilderFixtures.Actor();
        var components = BuilderFixtures.Components(actor, BuilderFixtures.Component("mesh", "pubsub.redis", """[{"name": "redisPassword", "secretKeyRef": {"name": "redis-auth", "key": "password"}}]"""));

        Assert.Equal("asya-judge", DeploymentBuilder.Build(actor, Settings, components).Spec.Template.Spec.ServiceAccountName);
        Assert.Null(DeploymentBuilder.Build(actor, Settings, BuilderFixtures.Mesh(actor)).Spec.Template.Spec.ServiceAccountName);
    }

    [Fact]
    public void Build_DotnetRuntime_NoCommandNoRuntimeScript()
    {
        var actor = BuilderFixtures.Actor("""{"image": "i", "handler": "Judge::Handle", "runtime": "dotnet"}""");
        var pod = DeploymentBuilder.Build(actor, Settings, BuilderFixtures.Mesh(actor)).Spec.Template.Spec;

        Assert.Null(pod.Containers[0].Command);
        Assert.DoesNotContain(pod.Volumes, v => v.ConfigMap is not null);
        Assert.IsType<V1Container>(pod.Containers[0]);
    }

    [Fact]
    public void Build_GatewayUrlSetting_StampedIntoEverySidecarCrewIncluded()
    {
        var settings = Settings with { GatewayUrl = "http://asya-gateway.asya-apps.svc:8081" };
        var actor = BuilderFixtures.Actor();
        var crew = BuilderFixtures.Actor("""{"builtin": "x-sink"}""", name: "x-sink");

        foreach (var each in new[] { actor, crew })
        {
            var sidecar = DeploymentBuilder.Build(each, settings, BuilderFixtures.Mesh(each)).Spec.Template.Spec.Containers.Single(c => c.Name == "asya-sidecar");
            Assert.Equal("http://asya-gateway.asya-apps.svc:8081", Assert.Single(sidecar.Env, e => e.Name == "ASYA_GATEWAY_URL").Value);
        }

        var without = DeploymentBuilder.Build(actor, Settings, BuilderFixtures.Mesh(actor)).Spec.Template.Spec.Containers[1];
        Assert.DoesNotContain(without.Env, e => e.Name == "ASYA_GATEWAY_URL");
    }

    [Fact]
    public void Build_ActorSetsGatewayUrl_ReplacesTheOperatorsOne()
    {
        var settings = Settings with { GatewayUrl = "http://asya-gateway.asya-apps.svc:8081" };
        var actor = BuilderFixtures.Actor("""
            {"image": "i", "handler": "m.f", "transport": "mesh",
             "sidecar": {"env": [{"name": "ASYA_GATEWAY_URL", "value": "http://team-gateway.team-a.svc:8081"}]}}
            """);

        var sidecar = DeploymentBuilder.Build(actor, settings, BuilderFixtures.Mesh(actor)).Spec.Template.Spec.Containers[1];

        Assert.Equal("http://team-gateway.team-a.svc:8081", Assert.Single(sidecar.Env, e => e.Name == "ASYA_GATEWAY_URL").Value);
    }
}
