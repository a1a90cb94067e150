using System.Net;
using System.Net.Sockets;
using Asya.Gateway.Hosting;
using Asya.Hosting;
using Asya.Testing;

namespace Asya.Gateway.Tests.Configuration;

public sealed class GatewayProgramTests
{
    [Theory]
    [InlineData("api-addr", "--api-addr (or ASYA_GATEWAY_API_ADDR)")]
    [InlineData("mesh-addr", "--mesh-addr (or ASYA_GATEWAY_MESH_ADDR)")]
    public async Task Run_PortTaken_OneLineNamingTheFlagAndAddressExit2(string taken, string where)
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var address = $"127.0.0.1:{((IPEndPoint)holder.LocalEndpoint).Port}";
        using var data = new TempDirectory();
        var errors = new StringWriter();
        string[] args =
        [
            "--api-addr", taken == "api-addr" ? address : "127.0.0.1:0",
            "--mesh-addr", taken == "mesh-addr" ? address : "127.0.0.1:0",
            "--data-dir", data.Path,
            "--log-level", "error",
        ];

        var code = await GatewayProgram.RunAsync(args, new Dictionary<string, string>(), errors);

        Assert.Equal(ConfigurationException.ExitCode, code);
        Assert.Equal($"asya-gateway: {where}: {address}: address already in use; give a free host:port{Environment.NewLine}", errors.ToString());
    }
}
