using System.Text.Json.Nodes;
using Asya.Operator.Model;

namespace Asya.Operator.Tests.Building;

public sealed class ActorModelReaderTests
{
    [Fact]
    public void Read_Minimal_DefaultsApplied()
    {
        var actor = BuilderFixtures.Actor("""{"image": "i", "handler": "m.f"}""");

        Assert.Equal("judge", actor.Actor);
        Assert.Equal(Asya.Runtime.Protocol.RuntimeKind.Python, actor.Runtime);
        Assert.Equal(1, actor.Concurrency);
        Assert.True(actor.Scaling.Enabled);
        Assert.Equal(10, actor.Scaling.MaxReplicaCount);
        Assert.Equal("asya-team-a-judge", actor.Queue);
        Assert.Null(actor.Transport);
    }

    [Fact]
    public void Read_SpecActor_OverridesName()
    {
        Assert.Equal("llm", BuilderFixtures.Actor("""{"actor": "llm", "image": "i", "handler": "m.f"}""").Actor);
    }

    [Theory]
    [InlineData("""{"handler": "m.f"}""", "spec.image: is required")]
    [InlineData("""{"image": "i"}""", "spec.handler: is required")]
    [InlineData("""{"image": "i", "handler": "nodots"}""", "spec.handler: 'nodots' must be module.function")]
    [InlineData("""{"image": "i", "handler": "m.f", "actor": "Bad_Name"}""", "spec.actor: 'Bad_Name' is not a DNS label")]
    [InlineData("""{"builtin": "x-other"}""", "spec.builtin: 'x-other' is not a crew actor")]
    [InlineData("""{"image": "i", "handler": "m.f", "runtime": "ruby"}""", "spec.runtime: 'ruby' must be python, dotnet or none")]
    [InlineData("""{"image": "i", "handler": "m.f", "concurrency": 0}""", "spec.concurrency: 0 must be a whole number between 1 and 1024")]
    [InlineData("""{"image": "i", "handler": "m.f", "scaling": {"minReplicaCount": 5, "maxReplicaCount": 2}}""", "spec.scaling: minReplicaCount (5) must not be above maxReplicaCount (2)")]
    [InlineData("""{"image": "i", "handler": "m.f", "scaling": {"enabled": "yes"}}""", "spec.scaling.enabled: \"yes\" must be true or false")]
    [InlineData("""{"image": "i", "handler": "m.f", "resiliency": {"actorTimeout": "soon"}}""", "spec.resiliency.actorTimeout: 'soon' must be a positive duration")]
    [InlineData("""{"image": "i", "handler": "m.f", "env": "A=B"}""", "spec.env: does not have the Kubernetes shape")]
    public void Read_InvalidSpec_ErrorNamesField(string spec, string expected)
    {
        var error = Assert.Throws<ActorSpecException>(() => BuilderFixtures.Actor(spec));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Read_Crew_NoImageNeeded()
    {
        var actor = BuilderFixtures.Actor("""{"builtin": "x-sump"}""", name: "x-sump");

        Assert.True(actor.IsCrew);
        Assert.Equal(Asya.Runtime.Protocol.RuntimeKind.None, actor.Runtime);
    }

    [Fact]
    public void Read_NoMetadataName_Error()
    {
        var error = Assert.Throws<ActorSpecException>(() => ActorModelReader.Read(new JsonObject { ["metadata"] = new JsonObject() }));

        Assert.Equal("metadata.name: is required", error.Message);
    }
}
