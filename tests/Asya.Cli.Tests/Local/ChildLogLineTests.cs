using Asya.Cli.Local;

namespace Asya.Cli.Tests.Local;

public sealed class ChildLogLineTests
{
    [Fact]
    public void Parse_EnvelopeHandledJson_GivesHopEvent()
    {
        const string line = """{"EventId":1,"LogLevel":"Information","Category":"Asya.Sidecar.Router","Message":"envelope e-1 at judge: Routed to store in 12.5 ms","State":{"Message":"x","EnvelopeId":"e-1","Actor":"judge","Outcome":"Routed","Destination":"store","DurationMs":12.5,"{OriginalFormat}":"x"}}""";

        var entry = ChildLogLine.Parse(line);

        Assert.Equal("info", entry.Level);
        Assert.Equal("envelope e-1 at judge: Routed to store in 12.5 ms", entry.Text);
        Assert.Equal(new HopEvent("e-1", "judge", "Routed", "store", 12.5), entry.Hop);
        Assert.False(entry.IsImportant);
    }

    [Fact]
    public void Parse_EventNameOtherThanHandled_HasNoHop()
    {
        const string line = """{"EventId":3,"EventName":"Other","LogLevel":"Warning","Category":"c","Message":"m","State":{"EnvelopeId":"e","Outcome":"o","Destination":"d"}}""";

        var entry = ChildLogLine.Parse(line);

        Assert.Null(entry.Hop);
        Assert.True(entry.IsImportant);
        Assert.Equal("warn", entry.Level);
    }

    [Fact]
    public void Parse_ErrorWithException_KeepsExceptionText()
    {
        var entry = ChildLogLine.Parse("""{"EventId":1,"LogLevel":"Error","Category":"c","Message":"boom","Exception":"System.Exception: boom\n   at X"}""");

        Assert.Equal("fail", entry.Level);
        Assert.Equal("System.Exception: boom\n   at X", entry.ExceptionText);
    }

    [Theory]
    [InlineData("Traceback (most recent call last):")]
    [InlineData("{not json")]
    [InlineData("""{"no":"level"}""")]
    public void Parse_NotAJsonLogEntry_IsPlainText(string line)
    {
        var entry = ChildLogLine.Parse(line);

        Assert.Equal("text", entry.Level);
        Assert.Equal(line, entry.Text);
        Assert.True(entry.IsImportant);
    }
}
