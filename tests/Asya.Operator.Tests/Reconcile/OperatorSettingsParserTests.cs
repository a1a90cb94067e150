using Asya.Hosting;

namespace Asya.Operator.Tests.Reconcile;

public sealed class OperatorSettingsParserTests
{
    private static readonly Dictionary<string, string> NoEnv = [];

    [Fact]
    public void Parse_Nothing_Defaults()
    {
        var (settings, kubeconfig) = OperatorSettingsParser.Parse([], NoEnv);

        Assert.Equal(new OperatorSettings() with { SidecarResources = settings.SidecarResources }, settings);
        Assert.Null(kubeconfig);
    }

    [Fact]
    public void Parse_FlagsWinOverEnvironment()
    {
        var env = new Dictionary<string, string> { ["ASYA_SIDECAR_IMAGE"] = "env/sidecar:1", ["ASYA_SCALER_PORT"] = "7000", ["ASYA_RESYNC_PERIOD"] = "1m" };

        var (settings, kubeconfig) = OperatorSettingsParser.Parse(["--sidecar-image", "flag/sidecar:2", "--manage-queues=false", "--kubeconfig", "/k"], env);

        Assert.Equal("flag/sidecar:2", settings.SidecarImage);
        Assert.Equal(7000, settings.ScalerPort);
        Assert.Equal(TimeSpan.FromMinutes(1), settings.ResyncPeriod);
        Assert.False(settings.ManageQueues);
        Assert.Equal("/k", kubeconfig);
    }

    [Fact]
    public void Parse_GoDurations_AcceptedLikeEveryAsyaProcess()
    {
        var (settings, _) = OperatorSettingsParser.Parse(["--resync", "1m30s", "--drain-timeout", "1500ms"], NoEnv);

        Assert.Equal(TimeSpan.FromSeconds(90), settings.ResyncPeriod);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), settings.DrainTimeout);
    }

    [Theory]
    [InlineData("--workers", "0", "--workers (or ASYA_OPERATOR_WORKERS): '0' must be a whole number between 1 and 256")]
    [InlineData("--resync", "soon", "--resync (or ASYA_RESYNC_PERIOD): 'soon' is not a duration such as 30s, 5m or 1m30s")]
    [InlineData("--sidecar-pull-policy", "Sometimes", "must be IfNotPresent, Always or Never")]
    [InlineData("--nope", "x", "unknown flag --nope")]
    [InlineData("--gateway-url", "asya-gateway:8081", "--gateway-url (or ASYA_GATEWAY_URL): 'asya-gateway:8081' is not an http:// or https:// URL with a host")]
    [InlineData("--gateway-url", "file:///etc/passwd", "is not an http:// or https:// URL with a host")]
    public void Parse_BadValue_ErrorNamesFlagAndEnv(string flag, string value, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => OperatorSettingsParser.Parse([flag, value], NoEnv));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Parse_GatewayUrl_FromEnvFlagWinsNoneByDefault()
    {
        var env = new Dictionary<string, string> { ["ASYA_GATEWAY_URL"] = "http://asya-gateway.asya-apps.svc:8081/" };

        Assert.Null(OperatorSettingsParser.Parse([], NoEnv).Settings.GatewayUrl);
        Assert.Equal("http://asya-gateway.asya-apps.svc:8081", OperatorSettingsParser.Parse([], env).Settings.GatewayUrl);
        Assert.Equal("https://gw.example", OperatorSettingsParser.Parse(["--gateway-url", "https://gw.example"], env).Settings.GatewayUrl);
    }
}
