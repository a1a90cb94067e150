namespace Asya.Runtime.Protocol.Tests;

public sealed class ActorNamesTests
{
    [Fact]
    public void Queue_NamespaceAndActor_MeshQueueName()
    {
        Assert.Equal("asya-team-a-judge", ActorNames.Queue("team-a", "judge"));
        Assert.Equal("asya-default-x-sink", ActorNames.Queue(ActorNames.DefaultNamespace, ActorNames.Sink));
    }

    [Theory]
    [InlineData("x-sink", true)]
    [InlineData("x-sump", true)]
    [InlineData("x-other", false)]
    [InlineData(null, false)]
    public void IsCrew_OnlySinkAndSump(string? name, bool expected)
    {
        Assert.Equal(expected, ActorNames.IsCrew(name));
    }

    [Theory]
    [InlineData("x-sink", true)]
    [InlineData("x-sump", true)]
    [InlineData("x-pause", true)]
    [InlineData("x-resume", true)]
    [InlineData("x-other", false)]
    [InlineData(null, false)]
    public void IsBuiltin_TheFourCrewActors(string? name, bool expected)
    {
        Assert.Equal(expected, ActorNames.IsBuiltin(name));
    }

    [Theory]
    [InlineData("x-pause")]
    [InlineData("x-resume")]
    public void IsCrew_PauseAndResumeAreNotTerminal(string name)
    {
        Assert.False(ActorNames.IsCrew(name));
    }

    [Theory]
    [InlineData("judge", true)]
    [InlineData("judge\n", false)]
    [InlineData("Judge", false)]
    [InlineData("-judge", false)]
    public void IsValid_DnsLabel(string name, bool expected)
    {
        Assert.Equal(expected, ActorNames.IsValid(name));
    }
}
