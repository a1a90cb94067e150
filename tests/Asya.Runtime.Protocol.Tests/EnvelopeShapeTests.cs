using System.Text;
using Asya.Runtime.Protocol;

namespace Asya.Runtime.Protocol.Tests;

/// <summary>Shapes docs/design.md §1 does not allow are refused naming the field; optional parts written as null mean absent.</summary>
public sealed class EnvelopeShapeTests
{
    private const string Route = """{"prev":[],"curr":"a","next":[]}""";

    [Theory]
    [InlineData("""{"id":"x","route":{"prev":null,"curr":"a","next":[]},"payload":1}""", "'route.prev'")]
    [InlineData("""{"id":"x","route":{"prev":["a",null],"curr":"a","next":[]},"payload":1}""", "'route.prev'")]
    [InlineData("""{"id":"x","route":{"prev":[],"curr":null,"next":[]},"payload":1}""", "'route.curr'")]
    [InlineData("""{"id":"x","route":{"prev":[],"curr":"a","next":null},"payload":1}""", "'route.next'")]
    [InlineData("""{"id":"x","route":{"prev":[],"curr":"a","next":[{}]},"payload":1}""", "'route.next'")]
    [InlineData("""{"id":"x","route":{"prev":[],"curr":7,"next":[]},"payload":1}""", "'route.curr'")]
    [InlineData("""{"id":7,"route":{"prev":[],"curr":"a","next":[]},"payload":1}""", "'id'")]
    [InlineData("""{"id":"x","parent_id":[],"route":{"prev":[],"curr":"a","next":[]},"payload":1}""", "'parent_id'")]
    [InlineData("""{"id":"x","route":{"prev":[],"curr":"a","next":[]},"headers":"h","payload":1}""", "'headers'")]
    [InlineData("""{"id":"x","route":{"prev":[],"curr":"a","next":[]},"payload":1,"status":"s"}""", "'status'")]
    [InlineData("""{"id":"x","route":{"prev":[],"curr":"a","next":[]},"payload":1,"status":{"phase":"pending","actor":"a","attempt":"1"}}""", "'status.attempt'")]
    [InlineData("""{"id":"x","route":{"prev":[],"curr":"a","next":[]},"payload":1,"status":{"phase":"pending","actor":"a","created_at":null}}""", "'status.created_at'")]
    [InlineData("""{"id":"x","route":{"prev":[],"curr":"a","next":[]},"payload":1,"status":{"phase":"pending","actor":"a","error":{"message":null,"type":"T","mro":[],"traceback":""}}}""", "'status.error.message'")]
    [InlineData("""{"id":"x","route":{"prev":[],"curr":"a","next":[]},"payload":1,"status":{"phase":"pending","actor":"a","error":{"message":"m","type":"T","mro":[null],"traceback":""}}}""", "'status.error.mro'")]
    public void TryParse_NullOrWrongType_FailsNamingTheField(string body, string field)
    {
        Assert.False(EnvelopeParser.TryParse(Encoding.UTF8.GetBytes(body), out var envelope, out var error));
        Assert.Null(envelope);
        Assert.Contains(field, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_NullOptionalParts_MeanAbsent()
    {
        var body = """{"id":"x","parent_id":null,"route":{"curr":"a"},"headers":null,"payload":null,"status":null}""";
        Assert.True(EnvelopeParser.TryParse(Encoding.UTF8.GetBytes(body), out var envelope, out var error), error);
        Assert.Null(envelope!.ParentId);
        Assert.Null(envelope.Headers);
        Assert.Null(envelope.Status);
        Assert.Empty(envelope.Route!.Prev);
        Assert.Empty(envelope.Route.Next);
        Assert.DoesNotContain("null", Encoding.UTF8.GetString(envelope.ToUtf8Bytes()).Replace("\"payload\":null", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_InvalidUtf8_FailsWithOffset()
    {
        byte[] body = [.. """{"id":"x","route":{"prev":[],"curr":"a","next":[]},"payload":"a"""u8, 0xC3, 0x28, .. "\"}"u8];
        Assert.False(EnvelopeParser.TryParse(body, out _, out var error));
        Assert.Contains("not valid UTF-8", error, StringComparison.Ordinal);
        Assert.Contains($"offset {body.Length - 4}", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(500)]
    public void TryParse_PayloadNestedWithinTheLimit_RoundTrips(int depth)
    {
        var payload = new string('[', depth) + new string(']', depth);
        var body = $$"""{"id":"x","route":{{Route}},"payload":{{payload}}}""";
        Assert.True(EnvelopeParser.TryParse(Encoding.UTF8.GetBytes(body), out var envelope, out var error), error);
        Assert.Equal(body, Encoding.UTF8.GetString(envelope!.ToUtf8Bytes()));
    }

    [Fact]
    public void TryParse_Nested600_FailsNamingTheLimit()
    {
        var body = $$"""{"id":"x","route":{{Route}},"payload":{{new string('[', 600) + new string(']', 600)}}}""";
        Assert.False(EnvelopeParser.TryParse(Encoding.UTF8.GetBytes(body), out _, out var error));
        Assert.Equal("envelope nests deeper than the JSON depth limit of 512 (ASYA_MAX_JSON_DEPTH)", error);
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("text-judge-2", true)]
    [InlineData("", false)]
    [InlineData("Not_A_DNS_Label!", false)]
    [InlineData("-a", false)]
    [InlineData("a-", false)]
    [InlineData("a\n", false)]
    public void ActorNames_AreDnsLabels(string name, bool valid)
    {
        Assert.Equal(valid, ActorNames.IsValid(name));
        Assert.False(ActorNames.IsValid(new string('a', 64)));
        Assert.True(ActorNames.IsValid(new string('a', 63)));
    }

    [Fact]
    public void TryParseMaxDepth_RejectsOutOfRange()
    {
        Assert.True(ProtocolJson.TryParseMaxDepth("1024", out var depth, out _));
        Assert.Equal(1024, depth);
        Assert.False(ProtocolJson.TryParseMaxDepth("0", out _, out var error));
        Assert.Contains("between 1 and", error, StringComparison.Ordinal);
        Assert.False(ProtocolJson.TryParseMaxDepth("deep", out _, out _));
    }
}
