using System.Text;

namespace Asya.Runtime.Protocol.Tests;

public sealed class EnvelopeParserTests
{
    [Theory]
    [InlineData("not json", "invalid envelope JSON")]
    [InlineData("[1,2]", "invalid envelope JSON")]
    [InlineData("null", "must be a JSON object")]
    [InlineData("""{"route":{"prev":[],"curr":"a","next":[]},"payload":1}""", "'id'")]
    [InlineData("""{"id":"","route":{"prev":[],"curr":"a","next":[]},"payload":1}""", "'id'")]
    [InlineData("""{"id":"x","payload":1}""", "'route'")]
    [InlineData("""{"id":"x","route":{"prev":[],"curr":"a","next":[]}}""", "'payload'")]
    [InlineData("""{"id":"x","route":"a","payload":1}""", "'route'")]
    public void TryParse_InvalidBody_FailsNamingTheProblem(string body, string expected)
    {
        Assert.False(EnvelopeParser.TryParse(Encoding.UTF8.GetBytes(body), out var envelope, out var error));
        Assert.Null(envelope);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_InvalidUtf8_Fails()
    {
        byte[] body = [(byte)'{', 0xff, 0xfe, (byte)'}'];

        Assert.False(EnvelopeParser.TryParse(body, out _, out var error));
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("""{"route":1,"id":"abc","payload":{}}""", "abc")]
    [InlineData("""{"id":5}""", null)]
    [InlineData("garbage", null)]
    [InlineData("""{"payload":{"id":"inner"}}""", null)]
    public void TryReadId_PartiallyValidBody_ReadsTopLevelIdOnly(string body, string? expected)
    {
        Assert.Equal(expected, EnvelopeParser.TryReadId(Encoding.UTF8.GetBytes(body)));
    }
}
