using System.Collections;
using Asya.ExternalScaler.Configuration;

namespace Asya.ExternalScaler.Tests.Configuration;

public sealed class ScalerOptionsParserTests
{
    [Fact]
    public void Parse_Nothing_Defaults()
    {
        var options = ScalerOptionsParser.Parse([], new Hashtable());
        Assert.Equal(":6000", options.GrpcAddress);
        Assert.Equal(":8080", options.MetricsAddress);
        Assert.Empty(options.ResourcesPaths);
        Assert.Null(options.PollInterval);
        Assert.Equal(10_000, options.MaxStreamsPerConnection);
    }

    [Fact]
    public void Parse_FlagsOverEnvironment_FlagWins()
    {
        var environment = new Hashtable { ["ASYA_SCALER_POLL_INTERVAL"] = "2s", ["ASYA_RESOURCES_PATH"] = "/a:/b", ["ASYA_SCALER_METRICS_ADDR"] = "off" };
        var options = ScalerOptionsParser.Parse(["--poll-interval", "250ms", "--grpc-addr=127.0.0.1:7000"], environment);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.PollInterval);
        Assert.Equal("127.0.0.1:7000", options.GrpcAddress);
        Assert.Equal(["/a", "/b"], options.ResourcesPaths);
        Assert.Null(options.MetricsAddress);
    }

    [Theory]
    [InlineData("--poll-interval", "soon", "--poll-interval (or ASYA_SCALER_POLL_INTERVAL): 'soon' is not a positive duration")]
    [InlineData("--grpc-addr", "6000", "--grpc-addr (or ASYA_SCALER_GRPC_ADDR): '6000' is not host:port")]
    [InlineData("--max-streams", "10", "--max-streams (or ASYA_SCALER_MAX_STREAMS): '10' must be a whole number ≥ 100")]
    [InlineData("--tls-cert", "/nope.pem", "go together")]
    [InlineData("--colour", "red", "unknown flag --colour")]
    public void Parse_BadValue_ErrorNamingFlagAndVariable(string flag, string value, string expected)
    {
        var error = Assert.Throws<ScalerConfigurationException>(() => ScalerOptionsParser.Parse([flag, value], new Hashtable()));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
