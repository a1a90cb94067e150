using Asya.ExternalScaler.Configuration;
using Asya.Hosting;

namespace Asya.ExternalScaler.Tests.Configuration;

public sealed class ScalerOptionsParserTests
{
    private static readonly Dictionary<string, string> NoEnv = [];

    [Fact]
    public void Parse_Nothing_Defaults()
    {
        var options = ScalerOptionsParser.Parse([], NoEnv);
        // The port deploy/ and the operator's ScaledObjects dial.
        Assert.Equal(":9090", options.GrpcAddress);
        Assert.Equal(":8080", options.MetricsAddress);
        Assert.Empty(options.ResourcesPaths);
        Assert.Null(options.PollInterval);
        Assert.Equal(10_000, options.MaxStreamsPerConnection);
    }

    [Fact]
    public void Parse_FlagsOverEnvironment_FlagWins()
    {
        var environment = new Dictionary<string, string> { ["ASYA_SCALER_POLL_INTERVAL"] = "2s", ["ASYA_RESOURCES_PATH"] = "/a:/b", ["ASYA_SCALER_METRICS_ADDR"] = "off" };
        var options = ScalerOptionsParser.Parse(["--poll-interval", "250ms", "--grpc-addr=127.0.0.1:7000"], environment);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.PollInterval);
        Assert.Equal("127.0.0.1:7000", options.GrpcAddress);
        Assert.Equal(["/a", "/b"], options.ResourcesPaths);
        Assert.Null(options.MetricsAddress);
    }

    [Theory]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("250ms", 250)]
    [InlineData("2", 2_000)]
    public void Parse_GoDuration_AcceptedLikeEveryAsyaProcess(string text, int milliseconds)
    {
        var options = ScalerOptionsParser.Parse(["--poll-interval", text, "--forget-after", text], NoEnv);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), options.PollInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), options.ForgetAfter);
    }

    [Theory]
    [InlineData("--poll-interval", "soon", "--poll-interval (or ASYA_SCALER_POLL_INTERVAL): 'soon' is not a duration such as 30s, 5m or 1m30s")]
    [InlineData("--poll-interval", "0s", "--poll-interval (or ASYA_SCALER_POLL_INTERVAL): '0s' must be longer than zero")]
    [InlineData("--grpc-addr", "6000", "--grpc-addr (or ASYA_SCALER_GRPC_ADDR): '6000' is not host:port")]
    [InlineData("--max-streams", "10", "--max-streams (or ASYA_SCALER_MAX_STREAMS): '10' must be a whole number between 100 and")]
    [InlineData("--tls-cert", "/nope.pem", "go together")]
    [InlineData("--colour", "red", "unknown flag --colour")]
    public void Parse_BadValue_ErrorNamingFlagAndVariable(string flag, string value, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => ScalerOptionsParser.Parse([flag, value], NoEnv));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
