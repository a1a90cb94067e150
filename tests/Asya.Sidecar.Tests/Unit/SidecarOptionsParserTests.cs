using Asya.Hosting;
using Asya.Sidecar.Configuration;

namespace Asya.Sidecar.Tests.Unit;

public sealed class SidecarOptionsParserTests
{
    private static readonly Dictionary<string, string> NoEnv = [];

    [Fact]
    public void Parse_NoActor_ErrorNamesFlagAndEnv()
    {
        var ex = Assert.Throws<ConfigurationException>(() => SidecarOptionsParser.Parse([], NoEnv));
        Assert.Contains("--actor", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ASYA_ACTOR_NAME", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OnlyActor_Defaults()
    {
        var o = SidecarOptionsParser.Parse(["--actor", "echo"], NoEnv);
        Assert.Equal("default", o.Namespace);
        Assert.Equal("asya-default-echo", o.OwnQueue);
        Assert.Equal(1, o.Concurrency);
        Assert.Equal(":8080", o.MetricsAddress);
        Assert.Equal("/var/run/asya", o.SocketDirectory);
        Assert.Equal("x-sink", o.Sink);
        Assert.Equal("x-sump", o.Sump);
        Assert.Equal(TimeSpan.FromMinutes(5), o.RuntimeReadyTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), o.DrainTimeout);
        Assert.Equal(10, o.MaxDeliveries);
        Assert.True(o.AutoCreateQueues);
        Assert.False(o.IsCrew);
    }

    [Fact]
    public void Parse_EnvAndFlags_FlagsWin()
    {
        var env = new Dictionary<string, string>
        {
            ["ASYA_ACTOR_NAME"] = "from-env",
            ["ASYA_NAMESPACE"] = "prod",
            ["ASYA_CONCURRENCY"] = "4",
            ["ASYA_RESOURCES_PATH"] = "/a:/b",
        };
        var o = SidecarOptionsParser.Parse(["--actor=from-flag", "--concurrency", "2"], env);
        Assert.Equal("from-flag", o.Actor);
        Assert.Equal("prod", o.Namespace);
        Assert.Equal(2, o.Concurrency);
        Assert.Equal(["/a", "/b"], o.ResourcesPaths);
    }

    [Fact]
    public void Parse_GoDurations_AcceptedLikeEveryAsyaProcess()
    {
        var o = SidecarOptionsParser.Parse(["--actor", "a", "--drain-timeout", "1m30s", "--lease", "1500ms"], NoEnv);
        Assert.Equal(TimeSpan.FromSeconds(90), o.DrainTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), o.Lease);
    }

    [Fact]
    public void Parse_RepeatedResourcesPath_AllKept()
    {
        var o = SidecarOptionsParser.Parse(["--actor", "a", "--resources-path", "/x", "--resources-path", "/y"], NoEnv);
        Assert.Equal(["/x", "/y"], o.ResourcesPaths);
    }

    [Theory]
    [InlineData("--concurrency", "zero")]
    [InlineData("--concurrency", "0")]
    [InlineData("--metrics-addr", "nowhere")]
    [InlineData("--drain-timeout", "soon")]
    [InlineData("--builtin", "x-other")]
    [InlineData("--log-format", "xml")]
    [InlineData("--auto-create-queues", "maybe")]
    public void Parse_BadValue_ErrorNamesFlag(string flag, string value)
    {
        var ex = Assert.Throws<ConfigurationException>(() => SidecarOptionsParser.Parse(["--actor", "a", flag, value], NoEnv));
        Assert.Contains(flag, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownFlag_ListsKnownFlags()
    {
        var ex = Assert.Throws<ConfigurationException>(() => SidecarOptionsParser.Parse(["--actor", "a", "--colour", "red"], NoEnv));
        Assert.Contains("--colour", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--runtime-command", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadActorName_Rejected()
    {
        var ex = Assert.Throws<ConfigurationException>(() => SidecarOptionsParser.Parse(["--actor", "Bad_Name"], NoEnv));
        Assert.Contains("DNS label", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Upper")]
    [InlineData("-lead")]
    [InlineData("trail-")]
    [InlineData("under_score")]
    [InlineData("dot.ted")]
    [InlineData("new\n")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")]
    public void Parse_InvalidActorName_ErrorNamesFlagAndValue(string name)
    {
        var ex = Assert.Throws<ConfigurationException>(() => SidecarOptionsParser.Parse(["--actor", name], NoEnv));
        Assert.Contains("--actor", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"'{name}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DNS label", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("text-to-speech-2")]
    [InlineData("a23456789012345678901234567890123456789012345678901234567890123")]
    public void Parse_ValidActorName_Accepted(string name) =>
        Assert.Equal(name, SidecarOptionsParser.Parse(["--actor", name], NoEnv).Actor);

    [Fact]
    public void Parse_ActorNamedLikeSinkWithoutBuiltin_ErrorNamesFlag()
    {
        var ex = Assert.Throws<ConfigurationException>(() => SidecarOptionsParser.Parse(["--actor", "x-sump"], NoEnv));
        Assert.Contains("--actor", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--builtin", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MetricsOffAndBuiltin_Parsed()
    {
        var o = SidecarOptionsParser.Parse(["--actor", "x-sink", "--builtin", "x-sink", "--metrics-addr", "off", "--runtime-ready-timeout", "1m30s"], NoEnv);
        Assert.Null(o.MetricsAddress);
        Assert.Equal("x-sink", o.Builtin);
        Assert.True(o.IsCrew);
        Assert.Equal(TimeSpan.FromSeconds(90), o.RuntimeReadyTimeout);
    }

    [Fact]
    public void Parse_MetricsPortZero_Allowed()
    {
        var o = SidecarOptionsParser.Parse(["--actor", "a", "--metrics-addr", "127.0.0.1:0"], NoEnv);
        Assert.Equal("127.0.0.1:0", o.MetricsAddress);
    }

    [Fact]
    public async Task RunAsync_BadFlag_ExitCode2()
    {
        var code = await SidecarProgram.RunAsync(["--concurrency", "x"], CancellationToken.None);
        Assert.Equal(2, code);
    }

    [Theory]
    [InlineData("x-pause")]
    [InlineData("x-resume")]
    public void Parse_PauseAndResumeCrew_Accepted(string builtin)
    {
        var o = SidecarOptionsParser.Parse(["--actor", builtin, "--builtin", builtin], NoEnv);
        Assert.Equal(builtin, o.Builtin);
        Assert.True(o.IsCrew);
    }

    [Fact]
    public void Parse_GatewayAndPauseSettings_FromEnv()
    {
        var env = new Dictionary<string, string>
        {
            ["ASYA_GATEWAY_TIMEOUT"] = "250ms",
            ["ASYA_GATEWAY_QUEUE_SIZE"] = "16",
            ["ASYA_PAUSE_METADATA"] = """{"prompt":"Review","fields":[]}""",
            ["ASYA_RESUME_MERGE_MODE"] = "DEEP",
        };
        var o = SidecarOptionsParser.Parse(["--actor", "x-resume", "--builtin", "x-resume"], env);
        Assert.Equal((TimeSpan.FromMilliseconds(250), 16, """{"prompt":"Review","fields":[]}""", "deep"),
            (o.GatewayTimeout, o.GatewayQueueSize, o.PauseMetadataJson, o.ResumeMergeMode));
    }

    [Theory]
    [InlineData("--resume-merge-mode", "sideways", "ASYA_RESUME_MERGE_MODE")]
    [InlineData("--pause-metadata", "[1]", "ASYA_PAUSE_METADATA")]
    [InlineData("--gateway-timeout", "0s", "ASYA_GATEWAY_TIMEOUT")]
    public void Parse_BadGatewayOrPauseSetting_ErrorNamesFlagAndEnv(string flag, string value, string variable)
    {
        var ex = Assert.Throws<ConfigurationException>(() => SidecarOptionsParser.Parse(["--actor", "a", flag, value], NoEnv));
        Assert.Contains(flag, ex.Message, StringComparison.Ordinal);
        Assert.Contains(variable, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_GatewayUrl_FromEnvFlagWinsAbsentByDefault()
    {
        var env = new Dictionary<string, string> { ["ASYA_GATEWAY_URL"] = "http://asya-gateway.asya-apps.svc:8081" };

        Assert.Null(SidecarOptionsParser.Parse(["--actor", "a"], NoEnv).GatewayUrl);
        Assert.Equal("http://asya-gateway.asya-apps.svc:8081", SidecarOptionsParser.Parse(["--actor", "a"], env).GatewayUrl);
        Assert.Equal("http://gw:8081", SidecarOptionsParser.Parse(["--actor", "a", "--gateway-url", "http://gw:8081"], env).GatewayUrl);
        // Not refused here: a bad URL is ignored with a warning when the sidecar starts (GatewayTargetsTests), the mesh runs on.
        Assert.Equal("file:///x", SidecarOptionsParser.Parse(["--actor", "a", "--gateway-url=file:///x"], NoEnv).GatewayUrl);
    }
}
