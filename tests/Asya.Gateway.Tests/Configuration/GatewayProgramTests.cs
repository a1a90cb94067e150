using Asya.Gateway.Hosting;
using Asya.Hosting;
using Asya.Testing;
using Asya.Testing.Processes;

namespace Asya.Gateway.Tests.Configuration;

public sealed class GatewayProgramTests
{
    [Theory]
    [InlineData("api-addr", "--api-addr (or ASYA_GATEWAY_API_ADDR)")]
    [InlineData("mesh-addr", "--mesh-addr (or ASYA_GATEWAY_MESH_ADDR)")]
    public async Task Run_PortTaken_OneLineNamingTheFlagAndAddressExit2(string taken, string where)
    {
        using var data = new TempDirectory();

        var (code, errors, address) = await PortTakenRun.RunAsync(
            taken, ["api-addr", "mesh-addr"], ["--data-dir", data.Path, "--log-level", "error"],
            (args, errors) => GatewayProgram.RunAsync(args, new Dictionary<string, string>(), errors));

        Assert.Equal(ConfigurationException.ExitCode, code);
        Assert.Equal($"asya-gateway: {where}: {address}: address already in use; give a free host:port{Environment.NewLine}", errors);
    }
}
