using Asya.Sidecar.Configuration;
using Asya.Sidecar.Gateway;
using Asya.Sidecar.Observability;
using Microsoft.Extensions.Logging.Abstractions;

namespace Asya.Sidecar.Tests.Fakes;

/// <summary>The sidecar's gateway pieces as production wires them, the reporter's sender started.</summary>
internal sealed class GatewayParts : IDisposable
{
    public GatewayParts(SidecarOptions options, SidecarMetrics metrics, TimeProvider time)
    {
        Client = new GatewayClient(options.GatewayTimeout);
        Health = new GatewayHealth(time);
        PreFlight = new GatewayPreFlight(options, Client, Health, metrics, time);
        Reporter = new GatewayReporter(options, Client, Health, metrics, time, NullLogger<GatewayReporter>.Instance);
        _ = Reporter.StartAsync(CancellationToken.None);
    }

    public GatewayClient Client { get; }

    public GatewayHealth Health { get; }

    public GatewayPreFlight PreFlight { get; }

    public GatewayReporter Reporter { get; }

    public void Dispose()
    {
        Reporter.Dispose();
        Client.Dispose();
    }
}
