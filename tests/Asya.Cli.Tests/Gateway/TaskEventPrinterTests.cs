using Asya.Cli.Gateway;
using Asya.Gateway.Tasks;
using Asya.Hosting.Sse;

namespace Asya.Cli.Tests.Gateway;

public sealed class TaskEventPrinterTests
{
    private static (TaskEventPrinter Printer, StringWriter Output) Create(bool showStatus)
    {
        var output = new StringWriter();
        return (new TaskEventPrinter(output, showStatus, new TasksApiClient("http://127.0.0.1:8080/", apiKey: null)), output);
    }

    private static ServerSentEvent Status(string status, string extra = "") =>
        new("status", $$"""{"id":"t1","status":"{{status}}","progress":50,"actor":"write","time":"2026-01-01T00:00:00Z"{{extra}}}""", "1");

    [Fact]
    public void Write_FlyTextEvents_WrittenInlineInOrderThenStatusOnItsOwnLine()
    {
        var (printer, output) = Create(showStatus: true);

        printer.Write(new ServerSentEvent("fly", """{"partial":true,"text":"Hello"}"""));
        printer.Write(new ServerSentEvent("fly", """{"partial":true,"text":" world"}"""));
        var final = printer.Write(Status("succeeded", ""","result":{"answer":"Hello world"}"""));

        Assert.Equal($"Hello world{Environment.NewLine}asya: t1 succeeded at write (50%){Environment.NewLine}", output.ToString());
        Assert.NotNull(final);
        Assert.Equal(TaskState.Succeeded, final.Status);
        Assert.Equal("Hello world", final.Result!["answer"]!.GetValue<string>());
    }

    [Fact]
    public void Write_FlyWithoutText_OneJsonLine()
    {
        var (printer, output) = Create(showStatus: false);

        printer.Write(new ServerSentEvent("fly", """{"step":3}"""));

        Assert.Equal($"fly: {{\"step\":3}}{Environment.NewLine}", output.ToString());
    }

    [Fact]
    public void Write_Paused_PromptFieldsAndResumeCommandNotTerminal()
    {
        var (printer, output) = Create(showStatus: true);

        var final = printer.Write(Status("paused", ""","pause_metadata":{"prompt":"Approve?","fields":[{"name":"approved"}]}"""));

        Assert.Null(final);
        var text = output.ToString();
        Assert.Contains("asya: t1 paused at write (50%)", text, StringComparison.Ordinal);
        Assert.Contains("asya: t1 waits for input: Approve?", text, StringComparison.Ordinal);
        Assert.Contains("""fields: [{"name":"approved"}]""", text, StringComparison.Ordinal);
        Assert.Contains("curl -X POST http://127.0.0.1:8080/api/v1/mesh/t1/resume", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_StatusHidden_StillReturnsTheTerminalEvent()
    {
        var (printer, output) = Create(showStatus: false);

        Assert.Null(printer.Write(Status("running")));
        var final = printer.Write(Status("failed", ",\"error\":\"boom\""));

        Assert.Equal(TaskState.Failed, final!.Status);
        Assert.Equal("", output.ToString());
    }
}
