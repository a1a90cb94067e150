using System.Globalization;
using Asya.Faults.IntegrationTests.Harness;
using Asya.Testing.Brokers;
using Xunit.Abstractions;

namespace Asya.Faults.IntegrationTests.Scenarios;

/// <summary>
/// 1,000 tasks through a real gateway while a fault hits what their reports pass through: every task reaches a terminal
/// status in the gateway's store, the one where its envelope ended, and none stays running past its deadline.
/// </summary>
public sealed class GatewayFaultTests(ITestOutputHelper output)
{
    private const int Tasks = 1000;

    /// <summary>The actor's sidecar SIGKILLed three times mid-run (restarted as a supervisor would).</summary>
    [Fact]
    public async Task SidecarKilledUnderGatewayLoad()
    {
        var points = FaultPoints.Spread(FaultSettings.RandomFor("gateway-sidecar-kill", "sqlite"), Tasks, 3);
        var kill = FaultPoints.AtEach(points, m => m.KillSidecarAsync());
        await new GatewayScenario(output).RunAsync("gateway-sidecar-kill", Tasks, (mesh, _, ids, ct) => kill(mesh, ids, ct));
    }

    /// <summary>
    /// The gateway's PostgreSQL task store (the suite's private instance, never the shared one) restarted mid-run:
    /// reports made during the outage are not lost, and the gateway says clearly what happened.
    /// </summary>
    [BrokerFact("ASYA_TEST_POSTGRES", "postgres")]
    public async Task TaskStoreRestartedUnderGatewayLoad()
    {
        await PrivateBrokers.Services.UpAsync("postgres");
        using var components = new Asya.Testing.TempDirectory();
        await PostgreSqlComponentManifest.WriteAsync(
            components.Path,
            "tasks",
            string.Create(CultureInfo.InvariantCulture, $"host=127.0.0.1 port={PrivateBrokers.PostgresPort} user=asya password=asya dbname=asya"));
        try
        {
            var points = FaultPoints.Spread(FaultSettings.RandomFor("gateway-store-restart", "sqlite"), Tasks, 1);
            var restart = FaultPoints.AtEach(points, m => m.RecordFaultAsync(() => PrivateBrokers.Services.RestartAsync("postgres")));
            var log = await new GatewayScenario(output).RunAsync(
                "gateway-store-restart", Tasks, (mesh, _, ids, ct) => restart(mesh, ids, ct),
                ["--resources-path", components.Path, "--task-store", "tasks"]);
            Assert.Contains("The task store is unavailable", log, StringComparison.Ordinal);
        }
        finally
        {
            await PrivateBrokers.Services.DownAsync("postgres");
        }
    }
}
