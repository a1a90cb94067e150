using System.Text.Json;
using Asya.Cli.Cli;
using Asya.Cli.Mesh;
using Asya.Mesh.Client;
using Microsoft.Extensions.Time.Testing;

namespace Asya.Cli.Tests.Local;

public sealed class EnvelopeFactoryTests
{
    [Fact]
    public void Create_Route_StartsAtFirstActorPending()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

        var envelope = EnvelopeFactory.Create(["a", "b", "c"], PayloadArgument.Parse("""{"x":1}"""), time);

        Assert.True(Guid.TryParse(envelope.Id, out var id) && id.Version == 4);
        Assert.Equal([], envelope.Route!.Prev);
        Assert.Equal("a", envelope.Route.Curr);
        Assert.Equal(["b", "c"], envelope.Route.Next);
        Assert.Equal("pending", envelope.Status!.Phase);
        Assert.Equal("a", envelope.Status.Actor);
        Assert.Equal(time.GetUtcNow(), envelope.Status.CreatedAt);
        var json = JsonDocument.Parse(envelope.ToUtf8Bytes()).RootElement;
        Assert.Equal(1, json.GetProperty("payload").GetProperty("x").GetInt32());
    }

    [Fact]
    public void ParsePayload_Null_IsAValue()
    {
        Assert.Equal(JsonValueKind.Null, PayloadArgument.Parse("null").ValueKind);
    }

    [Fact]
    public void ParsePayload_InvalidJson_UsageError()
    {
        var ex = Assert.Throws<CliException>(() => PayloadArgument.Parse("{text: hi}"));

        Assert.Equal(ExitCodes.Usage, ex.ExitCode);
        Assert.StartsWith("--payload: not valid JSON", ex.Message, StringComparison.Ordinal);
    }
    [Fact]
    public void ParsePayload_Nested500_Accepted()
    {
        var text = new string('[', 500) + new string(']', 500);
        var envelope = EnvelopeFactory.Create(["a"], PayloadArgument.Parse(text), TimeProvider.System);

        Assert.Contains(text, System.Text.Encoding.UTF8.GetString(envelope.ToUtf8Bytes()), StringComparison.Ordinal);
    }

    [Fact]
    public void ParsePayload_Nested600_UsageErrorNamingTheLimit()
    {
        var ex = Assert.Throws<CliException>(() => PayloadArgument.Parse(new string('[', 600) + new string(']', 600)));

        Assert.Equal(ExitCodes.Usage, ex.ExitCode);
        Assert.Equal("--payload: nests deeper than the JSON depth limit of 512 (ASYA_MAX_JSON_DEPTH)", ex.Message);
    }
}
