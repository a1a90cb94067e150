using System.Diagnostics.Metrics;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Gateway;
using Asya.Sidecar.Observability;
using Asya.Sidecar.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Asya.Sidecar.Tests.Unit;

/// <summary>
/// Which gateway an envelope reports to: header <c>x-asya-gateway-url</c>, else the sidecar's <c>--gateway-url</c>, each
/// through the SSRF guard (only http/https with a host; anything else ignored, counted, warned at most every 10 s).
/// </summary>
public sealed class GatewayTargetsTests : IDisposable
{
    private const string Default = "http://asya-gateway.asya-apps.svc:8081";

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger _logger = new();
    private readonly SidecarMetrics _metrics;
    private readonly MetricCollector<long> _ignored;

    public GatewayTargetsTests()
    {
        _metrics = new SidecarMetrics(_services.GetRequiredService<IMeterFactory>(), "a", "test");
        _ignored = new MetricCollector<long>(_metrics.Meter, "asya_actor_gateway_url_ignored_total");
    }

    public void Dispose()
    {
        _ignored.Dispose();
        _services.Dispose();
    }

    private GatewayTargets Targets(string? defaultUrl) => new(defaultUrl, _metrics, _time, _logger);

    private static Envelope WithHeaders(string? headersJson, string id = "t1") => Envelopes.Create(id, ["a", "b"], headersJson: headersJson);

    private static string GatewayHeader(string url) => $$"""{"{{MeshHeaders.GatewayUrl}}":"{{url}}"}""";

    [Fact]
    public void Of_NoHeader_DefaultUrl()
    {
        var target = Targets(Default + "/").Of(WithHeaders(null));

        Assert.Equal(new GatewayTarget(Default, "t1"), target);
        Assert.Equal(new Uri(Default + "/api/v1/mesh/t1/events"), target!.EventsUri);
    }

    [Fact]
    public void Of_HeaderAndDefault_HeaderWins()
    {
        var target = Targets(Default).Of(WithHeaders(GatewayHeader("https://gw.example:9443/")));

        Assert.Equal("https://gw.example:9443", target!.BaseUrl);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("""{"x-asya-gateway-url":""}""")]
    [InlineData("""{"x-asya-gateway-url":null}""")]
    public void Of_NoUsableHeaderNoDefault_NoTargetNothingCounted(string? headers)
    {
        Assert.Null(Targets(null).Of(WithHeaders(headers)));
        Assert.Empty(_ignored.GetMeasurementSnapshot());
    }

    [Fact]
    public void Of_StealthOrEmptyId_NoTargetEvenWithDefault()
    {
        var targets = Targets(Default);

        Assert.Null(targets.Of(WithHeaders($$"""{"{{MeshHeaders.MeshStatus}}":"OFF"}""")));
        Assert.Null(targets.Of(WithHeaders(null, id: "")));
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://gw.example/")]
    [InlineData("gopher://127.0.0.1:6379/_FLUSHALL")]
    [InlineData("unix:/var/run/docker.sock")]
    [InlineData("http://")]
    [InlineData("http:///api")]
    [InlineData("/relative/path")]
    [InlineData("gw.example:8081")]
    [InlineData("not a url")]
    public void Of_HeaderRefusedByGuard_IgnoredCountedAndDefaultUsed(string url)
    {
        var target = Targets(Default).Of(WithHeaders(GatewayHeader(url)));

        Assert.Equal(Default, target!.BaseUrl);
        var m = Assert.Single(_ignored.GetMeasurementSnapshot());
        Assert.Equal(("header", "a"), ((string?)m.Tags["source"], (string?)m.Tags["queue"]));
        Assert.Contains(url, Assert.Single(_logger.Collector.GetSnapshot()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_HeaderNotAString_IgnoredAndNoTargetWithoutDefault()
    {
        Assert.Null(Targets(null).Of(WithHeaders($$"""{"{{MeshHeaders.GatewayUrl}}":8081}""")));
        Assert.Equal("header", Assert.Single(_ignored.GetMeasurementSnapshot()).Tags["source"]);
    }

    [Fact]
    public void Of_ManyRefusedHeaders_EachCountedWarnedAtMostEvery10Seconds()
    {
        var targets = Targets(null);
        for (var i = 0; i < 50; i++)
        {
            targets.Of(WithHeaders(GatewayHeader("file:///x" + i)));
        }

        _time.Advance(TimeSpan.FromSeconds(9));
        targets.Of(WithHeaders(GatewayHeader("file:///late")));
        Assert.Single(_logger.Collector.GetSnapshot());

        _time.Advance(TimeSpan.FromSeconds(1));
        targets.Of(WithHeaders(GatewayHeader("file:///next")));

        Assert.Equal(52, _ignored.GetMeasurementSnapshot().Count);
        var warnings = _logger.Collector.GetSnapshot();
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Equal(LogLevel.Warning, w.Level));
        // The first warning reports its own URL; the second sums everything ignored since (49 + 1 + the one that triggered it).
        Assert.Equal(("1", "51"), (warnings[0].GetStructuredStateValue("Ignored"), warnings[1].GetStructuredStateValue("Ignored")));
    }

    [Fact]
    public void Of_HostileHeaderLogged_Shortened()
    {
        Targets(null).Of(WithHeaders(GatewayHeader("file:///" + new string('x', 5000))));

        Assert.True(_logger.Collector.LatestRecord.Message.Length < 1000);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://")]
    [InlineData("asya-gateway:8081")]
    public void New_DefaultRefusedByGuard_WarnedAndCountedOnceNeverUsed(string url)
    {
        var targets = Targets(url);

        Assert.Null(targets.DefaultUrl);
        Assert.Null(targets.Of(WithHeaders(null)));
        Assert.Null(targets.Of(WithHeaders(null, id: "t2")));
        Assert.Equal("flag", Assert.Single(_ignored.GetMeasurementSnapshot()).Tags["source"]);
        var warning = Assert.Single(_logger.Collector.GetSnapshot());
        Assert.Contains("ASYA_GATEWAY_URL", warning.Message, StringComparison.Ordinal);
        // A valid header still reaches its gateway.
        Assert.Equal("http://gw:8081", targets.Of(WithHeaders(GatewayHeader("http://gw:8081")))!.BaseUrl);
    }

    [Fact]
    public async Task Hop_DefaultGateway_EnvelopesWithoutHeaderReportThereAndHeaderedOnesToTheirOwn()
    {
        var wait = TimeSpan.FromSeconds(10);
        await using var byDefault = await RecordingGateway.StartAsync();
        await using var byHeader = await RecordingGateway.StartAsync();
        using var h = new ProcessorHarness(gatewayTimeout: TimeSpan.FromSeconds(5), gatewayUrl: byDefault.BaseUrl);

        Assert.True((await h.HandleAsync(WithHeaders(null, id: "plain"))).Ack);
        Assert.True((await h.HandleAsync(WithHeaders(GatewayHeader(byHeader.BaseUrl), id: "own"))).Ack);
        Assert.True((await h.HandleAsync(WithHeaders(GatewayHeader("file:///etc/passwd"), id: "forged"))).Ack);

        await byDefault.EventCount.WaitAsync(6, wait);
        await byHeader.EventCount.WaitAsync(3, wait);
        Assert.Equal(["received", "processing", "completed"], byDefault.EventsOf("plain").Select(e => (string)e["phase"]!));
        Assert.Equal(["received", "processing", "completed"], byDefault.EventsOf("forged").Select(e => (string)e["phase"]!));
        Assert.Equal(["received", "processing", "completed"], byHeader.EventsOf("own").Select(e => (string)e["phase"]!));
        Assert.Empty(byDefault.EventsOf("own"));
        Assert.Equal(1, byDefault.Reads["plain"]);
        Assert.Equal(3, h.Transport.SentTo(h.Options.QueueOf("b")).Count);
    }
}
