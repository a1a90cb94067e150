using System.Net;
using System.Net.Sockets;
using Asya.ExternalScaler.Hosting;
using Asya.Hosting;
using Asya.Testing;

namespace Asya.ExternalScaler.Tests.Hosting;

public sealed class ScalerProgramTests
{
    [Theory]
    [InlineData("grpc-addr", "--grpc-addr (or ASYA_SCALER_GRPC_ADDR)")]
    [InlineData("metrics-addr", "--metrics-addr (or ASYA_SCALER_METRICS_ADDR)")]
    public async Task Run_PortTaken_OneLineNamingTheFlagAndAddressExit2(string taken, string where)
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var address = $"127.0.0.1:{((IPEndPoint)holder.LocalEndpoint).Port}";
        using var data = new TempDirectory();
        var errors = new StringWriter();
        string[] args =
        [
            "--grpc-addr", taken == "grpc-addr" ? address : "127.0.0.1:0",
            "--metrics-addr", taken == "metrics-addr" ? address : "127.0.0.1:0",
            "--data-dir", data.Path,
            "--log-level", "error",
        ];

        var code = await ScalerProgram.RunAsync(args, new Dictionary<string, string>(), errors);

        Assert.Equal(ConfigurationException.ExitCode, code);
        Assert.Equal($"asya-external-scaler: {where}: {address}: address already in use; give a free host:port{Environment.NewLine}", errors.ToString());
    }
}
