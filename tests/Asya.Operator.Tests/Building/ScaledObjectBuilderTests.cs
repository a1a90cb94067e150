using Asya.Operator.Building;

namespace Asya.Operator.Tests.Building;

public sealed class ScaledObjectBuilderTests
{
    [Fact]
    public void Build_Defaults_ExternalPushTriggerOnScalerWithMetadataKeys()
    {
        var actor = BuilderFixtures.Actor();
        var scaled = ScaledObjectBuilder.Build(actor, new OperatorSettings(), "mesh");

        Assert.Equal("keda.sh/v1alpha1", scaled["apiVersion"]!.GetValue<string>());
        Assert.Equal("ScaledObject", scaled["kind"]!.GetValue<string>());
        var spec = scaled["spec"]!;
        Assert.Equal("judge", spec["scaleTargetRef"]!["name"]!.GetValue<string>());
        Assert.Equal(0, spec["minReplicaCount"]!.GetValue<int>());
        Assert.Equal(10, spec["maxReplicaCount"]!.GetValue<int>());
        Assert.Equal(30, spec["pollingInterval"]!.GetValue<int>());
        Assert.Equal(300, spec["cooldownPeriod"]!.GetValue<int>());
        var trigger = spec["triggers"]![0]!;
        Assert.Equal("external-push", trigger["type"]!.GetValue<string>());
        var metadata = trigger["metadata"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        Assert.Equal("asya-external-scaler.asya-system.svc:9090", metadata["scalerAddress"]);
        Assert.Equal("judge", metadata["actor"]);
        Assert.Equal("team-a", metadata["namespace"]);
        Assert.Equal("mesh", metadata["component"]);
        Assert.Equal("5", metadata["targetQueueLength"]);
        Assert.Equal("0", metadata["activationQueueLength"]);
        Assert.Equal("true", metadata["countInFlight"]);
        var behavior = spec["advanced"]!["horizontalPodAutoscalerConfig"]!["behavior"]!;
        Assert.Equal(0, behavior["scaleUp"]!["stabilizationWindowSeconds"]!.GetValue<int>());
        Assert.Equal(300, behavior["scaleDown"]!["stabilizationWindowSeconds"]!.GetValue<int>());
    }

    [Fact]
    public void Build_ScalingSpec_Applied()
    {
        var actor = BuilderFixtures.Actor("""{"image": "i", "handler": "m.f", "scaling": {"minReplicaCount": 1, "maxReplicaCount": 40, "pollingInterval": 5, "cooldownPeriod": 60, "queueLength": 20, "activationQueueLength": 2}}""");
        var settings = new OperatorSettings { ScalerService = "scaler", ScalerNamespace = "ops", ScalerPort = 6000 };
        var spec = ScaledObjectBuilder.Build(actor, settings, "bus")["spec"]!;

        Assert.Equal(1, spec["minReplicaCount"]!.GetValue<int>());
        Assert.Equal(40, spec["maxReplicaCount"]!.GetValue<int>());
        Assert.Equal(5, spec["pollingInterval"]!.GetValue<int>());
        Assert.Equal(60, spec["cooldownPeriod"]!.GetValue<int>());
        Assert.Equal("20", spec["triggers"]![0]!["metadata"]!["targetQueueLength"]!.GetValue<string>());
        Assert.Equal("2", spec["triggers"]![0]!["metadata"]!["activationQueueLength"]!.GetValue<string>());
        Assert.Equal("scaler.ops.svc:6000", spec["triggers"]![0]!["metadata"]!["scalerAddress"]!.GetValue<string>());
    }

    [Fact]
    public void Build_ScalerTlsAuthentication_TriggerDialsTlsWithTheClusterTriggerAuthentication()
    {
        var settings = new OperatorSettings { ScalerTlsAuthentication = "asya-external-scaler-tls" };

        var trigger = ScaledObjectBuilder.Build(BuilderFixtures.Actor(), settings, "mesh")["spec"]!["triggers"]![0]!;

        Assert.Equal("true", trigger["metadata"]!["enableTLS"]!.GetValue<string>());
        Assert.Equal("asya-external-scaler-tls", trigger["authenticationRef"]!["name"]!.GetValue<string>());
        Assert.Equal("ClusterTriggerAuthentication", trigger["authenticationRef"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public void Build_NoScalerTls_PlaintextTriggerWithoutAuthentication()
    {
        var trigger = ScaledObjectBuilder.Build(BuilderFixtures.Actor(), new OperatorSettings(), "mesh")["spec"]!["triggers"]![0]!;

        Assert.Null(trigger["metadata"]!["enableTLS"]);
        Assert.Null(trigger["authenticationRef"]);
    }
}
