using System.Text.Json.Nodes;
using Asya.Operator.Reconcile;

namespace Asya.Operator.Tests.Reconcile;

public sealed class StatusBuilderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ActorStatus Status(string transport) => new()
    {
        ObservedGeneration = 2,
        Phase = "Ready",
        Conditions = [new ActorCondition(ActorCondition.TransportReady, transport, "r", "m")],
        QueueDepth = 3,
    };

    [Fact]
    public void Build_SameConditionStatus_KeepsTransitionTime()
    {
        var first = StatusBuilder.Build(Status("True"), null, T0);
        var second = StatusBuilder.Build(Status("True"), first, T0.AddHours(1));

        Assert.True(JsonNode.DeepEquals(first, second));
        Assert.Equal("2026-01-01T00:00:00Z", second["conditions"]![0]!["lastTransitionTime"]!.GetValue<string>());
    }

    [Fact]
    public void Build_ConditionFlips_NewTransitionTime()
    {
        var first = StatusBuilder.Build(Status("True"), null, T0);
        var second = StatusBuilder.Build(Status("False"), first, T0.AddHours(1));

        Assert.Equal("2026-01-01T01:00:00Z", second["conditions"]![0]!["lastTransitionTime"]!.GetValue<string>());
        Assert.Equal(3, second["queueDepth"]!.GetValue<long>());
        Assert.Equal(2, second["observedGeneration"]!.GetValue<long>());
    }

    [Theory]
    [InlineData(false, true, true, 1, 0, "Error")]
    [InlineData(true, false, true, 1, 0, "Error")]
    [InlineData(true, true, true, 0, 0, "Napping")]
    [InlineData(true, true, false, 0, 0, "Ready")]
    [InlineData(true, true, true, null, 0, "Creating")]
    [InlineData(true, true, true, 3, 1, "Degraded")]
    [InlineData(true, true, true, 3, 3, "Ready")]
    public void Phase_FromConditionsAndReplicas(bool valid, bool transport, bool scaling, int? desired, int ready, string expected)
    {
        Assert.Equal(expected, StatusBuilder.Phase(valid, transport, scaling, desired, ready));
    }
}
