using Asya.Cli.Local;
using Asya.Hosting;

namespace Asya.Cli.Tests.Local;

public sealed class LocalGatewayTests
{
    [Theory]
    [InlineData("127.0.0.1:8080", "127.0.0.1:8080", "http://127.0.0.1:8080")]
    [InlineData(":9000", ":9000", "http://127.0.0.1:9000")]
    [InlineData("0.0.0.0:9000", "0.0.0.0:9000", "http://127.0.0.1:9000")]
    [InlineData("localhost:9000", "127.0.0.1:9000", "http://127.0.0.1:9000")]
    [InlineData("127.0.0.1:0", "127.0.0.1:4321", "http://127.0.0.1:4321")]
    public void Parse_Address_ListenAddressAndClientUrl(string text, string listen, string url)
    {
        var gateway = LocalGateway.Parse(text, () => 4321);

        Assert.Equal(listen, gateway.ListenAddress);
        Assert.Equal(url, gateway.ApiUrl);
    }

    [Theory]
    [InlineData("8080")]
    [InlineData("10.1.2.3:8080")]
    [InlineData("127.0.0.1:99999")]
    public void Parse_NotLoopbackHostPort_ConfigurationErrorNamingTheFlag(string text)
    {
        var ex = Assert.Throws<ConfigurationException>(() => LocalGateway.Parse(text, () => 1));

        Assert.StartsWith($"--gateway-addr: '{text}'", ex.Message, StringComparison.Ordinal);
    }
}
