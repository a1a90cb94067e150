using System.Text;
using Asya.Cli.Local;
using Asya.Cli.Mesh;

namespace Asya.Cli.Tests.Local;

public sealed class ResultPrinterTests
{
    [Fact]
    public void Phase_StoredEnvelope_ReadsStatusPhase()
    {
        Assert.Equal("failed", ResultPrinter.Phase("""{"id":"a","status":{"phase":"failed"}}"""u8));
        Assert.Null(ResultPrinter.Phase("""{"id":"a"}"""u8));
        Assert.Null(ResultPrinter.Phase("nonsense"u8));
    }

    [Fact]
    public void Indent_Unicode_IsWrittenReadably()
    {
        var text = ResultPrinter.Indent(Encoding.UTF8.GetBytes("""{"payload":{"t":"Hello 世界"}}"""));

        Assert.Contains("Hello 世界", text, StringComparison.Ordinal);
        Assert.Contains("\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteTrace_OnlyEventsOfTheId_OneLinePerHop()
    {
        var writer = new StringWriter();
        HopEvent[] hops = [new("e", "validate", "Routed", "judge", 3), new("other", "judge", "Routed", "x", 1), new("e", "x-sink", "Stored", "", 0.4)];

        ResultPrinter.WriteTrace(writer, "e", hops);

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("trace e:", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Contains("validate", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("-> judge", lines[1].TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("x-sink", lines[2], StringComparison.Ordinal);
    }
}
