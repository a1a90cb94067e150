using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Asya.Runtime.Protocol.Tests;

public sealed class EnvelopeJsonTests
{
    private static Envelope Parse(string json)
    {
        Assert.True(EnvelopeParser.TryParse(Encoding.UTF8.GetBytes(json), out var envelope, out var error), error);
        return envelope!;
    }

    private static string Write(Envelope envelope) => Encoding.UTF8.GetString(envelope.ToUtf8Bytes());

    [Fact]
    public void Serialize_FullEnvelope_WritesFieldsInWireOrder()
    {
        var envelope = new Envelope
        {
            Id = "a",
            ParentId = "p",
            Route = new Route { Prev = ["x"], Curr = "y", Next = ["z"] },
            Headers = new JsonObject { ["k"] = "v" },
            Payload = JsonDocument.Parse("""{"n":1}""").RootElement,
            Status = new EnvelopeStatus
            {
                Phase = EnvelopePhase.Processing,
                Actor = "y",
                Attempt = 2,
                MaxAttempts = 3,
                CreatedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
                UpdatedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 1, 500, TimeSpan.Zero),
            },
        };

        Assert.Equal(
            """{"id":"a","parent_id":"p","route":{"prev":["x"],"curr":"y","next":["z"]},"headers":{"k":"v"},"payload":{"n":1},"status":{"phase":"processing","actor":"y","attempt":2,"max_attempts":3,"created_at":"2026-01-01T00:00:00.000Z","updated_at":"2026-01-01T00:00:01.500Z"}}""",
            Write(envelope));
    }

    [Fact]
    public void Serialize_AbsentOptionalFields_OmitsThemAndNeverWritesNull()
    {
        var json = Write(Parse("""{"id":"a","route":{"prev":[],"curr":"b","next":[]},"payload":1}"""));

        Assert.Equal("""{"id":"a","route":{"prev":[],"curr":"b","next":[]},"payload":1}""", json);
    }

    [Fact]
    public void RoundTrip_NullPayload_KeepsExplicitNull()
    {
        var json = Write(Parse("""{"id":"a","route":{"prev":[],"curr":"b","next":[]},"payload":null}"""));

        Assert.Contains("\"payload\":null", json, StringComparison.Ordinal);
    }

    [Fact]
    public void RoundTrip_UnknownTopLevelKeys_ArePreserved()
    {
        var envelope = Parse("""{"id":"a","x-custom":{"deep":[1,2]},"route":{"prev":[],"curr":"b","next":[]},"payload":"p","zz":true}""");

        var copy = Parse(Write(envelope.Clone()));

        Assert.Equal("""{"deep":[1,2]}""", copy.Extra!["x-custom"].GetRawText());
        Assert.True(copy.Extra["zz"].GetBoolean());
    }

    [Fact]
    public void RoundTrip_UnicodePayload_IsUnchanged()
    {
        var envelope = Parse("""{"id":"a","route":{"prev":[],"curr":"b","next":[]},"payload":{"t":"Hello 世界 🌍"}}""");

        Assert.Equal("Hello 世界 🌍", Parse(Write(envelope)).Payload.GetProperty("t").GetString());
    }

    [Fact]
    public void Parse_StatusWithNanosecondsAndOffset_ReadsAsUtc()
    {
        var envelope = Parse("""
            {"id":"a","route":{"prev":[],"curr":"b","next":[]},"payload":1,
             "status":{"phase":"pending","actor":"b","attempt":1,"max_attempts":1,
                       "created_at":"2026-01-01T02:00:00.123456789+02:00","updated_at":"2026-01-01T00:00:00Z",
                       "deadline_at":"2026-01-01T00:05:00Z"}}
            """);

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1234567), envelope.Status!.CreatedAt);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 5, 0, TimeSpan.Zero), envelope.Status.DeadlineAt);
    }

    [Fact]
    public void Serialize_StatusError_WritesErrorObject()
    {
        var status = new EnvelopeStatus
        {
            Phase = EnvelopePhase.Failed,
            Reason = EnvelopeReason.PolicyExhausted,
            Error = new ErrorDetails { Message = "boom", Type = "ValueError", Mro = ["Exception"], Traceback = "tb" },
        };

        var json = JsonSerializer.Serialize(status, ProtocolJsonContext.Default.EnvelopeStatus);

        Assert.Contains("\"reason\":\"PolicyExhausted\"", json, StringComparison.Ordinal);
        Assert.Contains("\"error\":{\"message\":\"boom\",\"type\":\"ValueError\",\"mro\":[\"Exception\"],\"traceback\":\"tb\"}", json, StringComparison.Ordinal);
        Assert.DoesNotContain("deadline_at", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Clone_MutatingCopy_LeavesOriginalUntouched()
    {
        var original = Parse("""{"id":"a","route":{"prev":[],"curr":"b","next":["c"]},"headers":{"h":1},"payload":1,"status":{"phase":"pending","actor":"b","attempt":1,"max_attempts":1,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}}""");

        var copy = original.Clone();
        copy.Route!.Next.Add("d");
        copy.Headers!["h"] = 2;
        copy.Status!.Attempt = 5;

        Assert.Equal(["c"], original.Route!.Next);
        Assert.Equal(1, original.Headers!["h"]!.GetValue<int>());
        Assert.Equal(1, original.Status!.Attempt);
    }
}
