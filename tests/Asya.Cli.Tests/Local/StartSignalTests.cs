using System.Net;
using System.Net.Sockets;
using Asya.Cli.Local;
using Asya.Cli.Tests.EndToEnd;
using Asya.Sidecar.Observability;
using Asya.Testing;

namespace Asya.Cli.Tests.Local;

/// <summary>
/// <c>asya up</c> reads a sidecar's start from its log event ids and fields: these fail if detection comes to depend on
/// a message's wording, or if the real sidecar stops emitting the events.
/// </summary>
public sealed class StartSignalTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(SidecarLogEvents.RuntimeExited, "anything at all", nameof(StartSignal.RuntimeExited))]
    [InlineData(SidecarLogEvents.MetricsAddressInUse, "anything at all", nameof(StartSignal.MetricsPortTaken))]
    [InlineData(0, "Runtime pid 42 exited (exit code 1); restarting", nameof(StartSignal.None))]
    [InlineData(0, "Failed to bind to address http://127.0.0.1:1: address already in use.", nameof(StartSignal.None))]
    [InlineData(SidecarLogEvents.EnvelopeHandled, "Runtime pid 42 exited; restarting", nameof(StartSignal.None))]
    public void StartSignalOf_JsonEntry_ReadsTheEventIdNotTheMessage(int eventId, string message, string expected)
    {
        var line = $$$"""{"EventId":{{{eventId}}},"LogLevel":"Warning","Category":"Asya.Sidecar","Message":"{{{message}}}","State":{"Pid":42}}""";

        Assert.Equal(expected, MeshSupervisor.StartSignalOf(ChildLogLine.Parse(line)).ToString());
    }

    [Theory]
    [InlineData("2026-01-01 CRITICAL asya-runtime: FATAL: importing module 'bad' failed: SyntaxError")]
    [InlineData("asya-sidecar: Failed to bind to address http://127.0.0.1:1: address already in use.")]
    public void StartSignalOf_PlainText_IsNothing(string line)
    {
        Assert.Equal(StartSignal.None, MeshSupervisor.StartSignalOf(ChildLogLine.Parse(line)));
    }

    [Fact]
    public void Parse_EnvelopeHandledWithOtherWording_IsAHopFromItsFields()
    {
        var entry = ChildLogLine.Parse(
            """{"EventId":1,"LogLevel":"Information","Message":"reworded","State":{"EnvelopeId":"e-9","Actor":"a","Outcome":"Routed","Destination":"b","DurationMs":7}}""");

        Assert.Equal(new HopEvent("e-9", "a", "Routed", "b", 7), entry.Hop);
        Assert.Equal("e-9", entry.Field("EnvelopeId"));
    }

    [Fact]
    public async Task RealSidecar_MetricsPortTaken_EmitsMetricsAddressInUseWithTheAddress()
    {
        using var dir = new TempDirectory();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var address = $"127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        var (code, stdout, stderr) = await AsyaProcess.RunAsync(
            Deadline, null, "sidecar", "--actor", "x-sink", "--builtin", "x-sink", "--namespace", "t", "--data-dir", dir.Path,
            "--socket-dir", dir.Path, "--metrics-addr", address, "--log-format", "json");

        Assert.Equal(2, code);
        var entries = Lines(stdout + stderr).Select(ChildLogLine.Parse).ToList();
        var taken2 = Assert.Single(entries, e => MeshSupervisor.StartSignalOf(e) == StartSignal.MetricsPortTaken);
        Assert.Equal(address, taken2.Field("Address"));
    }

    [Fact]
    public async Task RealSidecar_RuntimeExitsAtOnce_EmitsRuntimeExited()
    {
        using var dir = new TempDirectory();
        using var sidecar = AsyaProcess.Start(
            null, "sidecar", "--actor", "a", "--namespace", "t", "--data-dir", dir.Path, "--socket-dir", dir.Path,
            "--metrics-addr", "off", "--log-format", "json", "--runtime-command", "false");

        await sidecar.WaitForStdoutAsync(line => MeshSupervisor.StartSignalOf(ChildLogLine.Parse(line.Trim())) == StartSignal.RuntimeExited, Deadline);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
