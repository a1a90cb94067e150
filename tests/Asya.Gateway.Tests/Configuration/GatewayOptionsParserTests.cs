using Asya.Gateway.Configuration;
using Asya.Gateway.Hosting;
using Asya.Hosting;

namespace Asya.Gateway.Tests.Configuration;

public sealed class GatewayOptionsParserTests
{
    [Fact]
    public void Parse_Defaults_TheSpecsPortsAndLimits()
    {
        var options = GatewayOptionsParser.Parse([], new Dictionary<string, string>());
        Assert.Equal(":8080", options.ApiAddress);
        Assert.Equal(":8081", options.MeshAddress);
        Assert.Equal(8 * 1024 * 1024, options.MaxBodyBytes);
        Assert.Equal(TimeSpan.FromSeconds(15), options.KeepaliveInterval);
        Assert.Equal("default", options.Namespace);
        Assert.Null(options.ApiKey);
    }

    [Fact]
    public void Parse_FlagWinsOverVariable_ApiKeyFromEnvironment()
    {
        var options = GatewayOptionsParser.Parse(
            ["--api-addr", "127.0.0.1:9000", "--mesh-url=http://gw-mesh:8081/"],
            new Dictionary<string, string> { ["ASYA_GATEWAY_API_ADDR"] = ":1", ["ASYA_GATEWAY_API_KEY"] = "k" });
        Assert.Equal("127.0.0.1:9000", options.ApiAddress);
        Assert.Equal("http://gw-mesh:8081", options.MeshUrl);
        Assert.Equal("k", options.ApiKey);
    }

    [Fact]
    public void Parse_ActorTransports_FlagsRepeatedOrVariableList()
    {
        var flags = GatewayOptionsParser.Parse(["--actor-transport", "judge=redis", "--actor-transport", "store=rabbit"], new Dictionary<string, string>());
        var variable = GatewayOptionsParser.Parse([], new Dictionary<string, string> { ["ASYA_GATEWAY_ACTOR_TRANSPORTS"] = "judge=redis, store=rabbit" });

        Assert.Equal(new Dictionary<string, string> { ["judge"] = "redis", ["store"] = "rabbit" }, flags.ActorTransports);
        Assert.Equal(flags.ActorTransports, variable.ActorTransports);
        Assert.Empty(GatewayOptionsParser.Parse([], new Dictionary<string, string>()).ActorTransports);
    }

    [Theory]
    [InlineData("--actor-transport", "judge", "--actor-transport (or ASYA_GATEWAY_ACTOR_TRANSPORTS): 'judge' must be actor=component")]
    [InlineData("--sse-keepalive", "5x", "--sse-keepalive (or ASYA_GATEWAY_SSE_KEEPALIVE): '5x' is not a duration")]
    [InlineData("--mesh-url", "gw:8081", "--mesh-url (or ASYA_GATEWAY_MESH_URL): 'gw:8081' is not an http:// or https:// URL with a host")]
    [InlineData("--public-url", "ftp://gw", "--public-url (or ASYA_GATEWAY_PUBLIC_URL): 'ftp://gw' is not an http:// or https:// URL with a host")]
    [InlineData("--namespace", "Team", "--namespace (or ASYA_NAMESPACE): 'Team' must be a DNS label")]
    [InlineData("--log-format", "xml", "--log-format (or ASYA_LOG_FORMAT): 'xml' must be json or text")]
    [InlineData("--api-addr", "8080", "--api-addr (or ASYA_GATEWAY_API_ADDR): '8080' is not host:port")]
    public void Parse_BadValue_NamesFlagAndVariable(string flag, string value, string error)
    {
        var ex = Assert.Throws<ConfigurationException>(() => GatewayOptionsParser.Parse([flag, value], new Dictionary<string, string>()));
        Assert.StartsWith(error, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Help_FlagTableExit0_BadFlagExit2()
    {
        Assert.Contains("--api-key", GatewayProgram.Help, StringComparison.Ordinal);
        Assert.Contains("ASYA_GATEWAY_MESH_ADDR", GatewayProgram.Help, StringComparison.Ordinal);
        Assert.Equal(2, await GatewayProgram.RunAsync(["--backstop-interval", "soon"], new Dictionary<string, string>()));
    }
}
