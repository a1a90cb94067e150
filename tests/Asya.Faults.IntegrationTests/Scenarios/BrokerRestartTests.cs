using Asya.Faults.IntegrationTests.Harness;
using Asya.Testing.Brokers;
using Xunit.Abstractions;

namespace Asya.Faults.IntegrationTests.Scenarios;

/// <summary>
/// The broker restarted mid-stream (stop, start keeping its data) under the sidecars of a running load, on the
/// suite's private RabbitMQ and Redis: every envelope still ends once in x-sink, the sidecars reconnect by themselves.
/// Gated like the other broker scenarios: the shared broker's variable says the broker is installed here.
/// </summary>
public sealed class BrokerRestartTests(ITestOutputHelper output)
{
    [BrokerFact(FaultTransport.RabbitMqVariable, "rabbitmq")]
    public Task BrokerRestartedMidStream_RabbitMq() => RestartAsync("rabbitmq", PrivateBrokers.RabbitMq);

    [BrokerFact(FaultTransport.RedisVariable, "redis")]
    public Task BrokerRestartedMidStream_Redis() => RestartAsync("redis", PrivateBrokers.Redis);

    private async Task RestartAsync(string service, FaultTransport transport)
    {
        await PrivateBrokers.Services.UpAsync(service);
        try
        {
            var random = FaultSettings.RandomFor("broker-restart", transport.Name);
            var envelopes = ProcessKillTests.Load("br", FaultSettings.Envelopes);
            await new ScenarioRunner(output).RunAsync(
                "broker-restart", transport, envelopes,
                FaultPoints.AtEach(FaultPoints.Spread(random, envelopes.Count, 1), m => m.RecordFaultAsync(() => PrivateBrokers.Services.RestartAsync(service))));
        }
        finally
        {
            await PrivateBrokers.Services.DownAsync(service);
        }
    }
}
