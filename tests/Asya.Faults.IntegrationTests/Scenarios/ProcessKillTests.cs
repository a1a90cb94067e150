using Asya.Faults.IntegrationTests.Harness;
using Asya.Testing.Brokers;
using Xunit.Abstractions;

namespace Asya.Faults.IntegrationTests.Scenarios;

/// <summary>
/// SIGKILL of the actor's sidecar (restarted at once, as a supervisor would) and of its runtime, at seeded random
/// points under load: nothing is lost, duplicates only for envelopes in flight at a kill, nothing left running.
/// </summary>
public sealed class ProcessKillTests(ITestOutputHelper output)
{
    private const int Kills = 5;

    [Fact]
    public Task SidecarKilledUnderLoad_Sqlite() => SidecarKilledAsync(FaultTransport.Sqlite);

    [BrokerFact(FaultTransport.RabbitMqVariable, "rabbitmq")]
    public Task SidecarKilledUnderLoad_RabbitMq() => SidecarKilledAsync(FaultTransport.SharedRabbitMq());

    [BrokerFact(FaultTransport.RedisVariable, "redis")]
    public Task SidecarKilledUnderLoad_Redis() => SidecarKilledAsync(FaultTransport.SharedRedis());

    [Fact]
    public Task RuntimeKilledUnderLoad_Sqlite() => RuntimeKilledAsync(FaultTransport.Sqlite);

    [BrokerFact(FaultTransport.RabbitMqVariable, "rabbitmq")]
    public Task RuntimeKilledUnderLoad_RabbitMq() => RuntimeKilledAsync(FaultTransport.SharedRabbitMq());

    [BrokerFact(FaultTransport.RedisVariable, "redis")]
    public Task RuntimeKilledUnderLoad_Redis() => RuntimeKilledAsync(FaultTransport.SharedRedis());

    private Task<CallLog> SidecarKilledAsync(FaultTransport transport)
    {
        var random = FaultSettings.RandomFor("sidecar-kill", transport.Name);
        var envelopes = Load("sk", FaultSettings.Envelopes);
        return new ScenarioRunner(output).RunAsync(
            "sidecar-kill", transport, envelopes, FaultPoints.AtEach(FaultPoints.Spread(random, envelopes.Count, Kills), m => m.KillSidecarAsync()));
    }

    private Task<CallLog> RuntimeKilledAsync(FaultTransport transport)
    {
        var random = FaultSettings.RandomFor("runtime-kill", transport.Name);
        var envelopes = Load("rk", FaultSettings.Envelopes);
        return new ScenarioRunner(output).RunAsync(
            "runtime-kill", transport, envelopes,
            FaultPoints.AtEach(FaultPoints.Spread(random, envelopes.Count, Kills), m => m.KillRuntimeAsync(TimeSpan.FromSeconds(60))));
    }

    internal static List<ScenarioEnvelope> Load(string prefix, int count) =>
        [.. Enumerable.Range(0, count).Select(i => ScenarioEnvelope.Valid($"{prefix}-{i:D5}"))];
}
