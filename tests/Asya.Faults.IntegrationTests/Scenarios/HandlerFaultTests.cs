using Asya.Faults.IntegrationTests.Harness;
using Asya.Testing.Brokers;
using Xunit.Abstractions;

namespace Asya.Faults.IntegrationTests.Scenarios;

/// <summary>
/// Handlers that take their runtime down (os._exit inside the call) or overrun the actor timeout, for a seeded subset
/// of a load: those envelopes end in x-sump, every other one in x-sink, and the queue behind them keeps moving.
/// </summary>
public sealed class HandlerFaultTests(ITestOutputHelper output)
{
    private const int Crashes = 10;
    private const int Timeouts = 10;
    private const string ActorTimeout = "1s";

    [Fact]
    public Task HandlerCrashesRuntime_Sqlite() => CrashAsync(FaultTransport.Sqlite);

    [BrokerFact(FaultTransport.RabbitMqVariable, "rabbitmq")]
    public Task HandlerCrashesRuntime_RabbitMq() => CrashAsync(FaultTransport.SharedRabbitMq());

    [BrokerFact(FaultTransport.RedisVariable, "redis")]
    public Task HandlerCrashesRuntime_Redis() => CrashAsync(FaultTransport.SharedRedis());

    [Fact]
    public Task HandlerOverrunsTimeoutWithQueueBehind_Sqlite() => TimeoutAsync(FaultTransport.Sqlite);

    [BrokerFact(FaultTransport.RabbitMqVariable, "rabbitmq")]
    public Task HandlerOverrunsTimeoutWithQueueBehind_RabbitMq() => TimeoutAsync(FaultTransport.SharedRabbitMq());

    [BrokerFact(FaultTransport.RedisVariable, "redis")]
    public Task HandlerOverrunsTimeoutWithQueueBehind_Redis() => TimeoutAsync(FaultTransport.SharedRedis());

    private async Task CrashAsync(FaultTransport transport)
    {
        var envelopes = FaultSubset.Load("crash", FaultSettings.Envelopes, FaultSettings.RandomFor("crash", transport.Name), Crashes, "crash");
        var crashing = envelopes.Where(e => e.Expected == Outcome.Sump).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);

        // A crash is a failed attempt of the resiliency policy, so a crashing envelope may be called once per attempt.
        var calls = await new ScenarioRunner(output).RunAsync(
            "runtime-crash", transport, envelopes, (_, _, _) => Task.CompletedTask, new MeshOptions(), duplicatesAllowed: crashing, crashing: crashing);
        // A crashing envelope waiting in a runtime that another crash took down fails as asya.RuntimeCrashed without
        // reaching its handler (the runner checks it ended in x-sump); the crashes themselves must have happened.
        Assert.True(crashing.Count(calls.Calls.ContainsKey) >= crashing.Count / 2, $"only {crashing.Count(calls.Calls.ContainsKey)} of {crashing.Count} crashing envelopes reached the handler");
    }

    private async Task TimeoutAsync(FaultTransport transport)
    {
        var envelopes = FaultSubset.Load(
            "timeout", FaultSettings.Envelopes, FaultSettings.RandomFor("timeout", transport.Name), Timeouts, "sleep", seconds: 30);
        var sleepers = envelopes.Where(e => e.Expected == Outcome.Sump).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var calls = await new ScenarioRunner(output).RunAsync(
            "actor-timeout", transport, envelopes, (_, _, _) => Task.CompletedTask, new MeshOptions(Concurrency: 1, ActorTimeout: ActorTimeout),
            duplicatesAllowed: sleepers);

        // The runtime of a timed-out call is killed: no envelope after it may reach that process (issue 9, item 3).
        var afterTimeout = (
            from sleeper in sleepers
            from timedOut in calls.Calls.GetValueOrDefault(sleeper) ?? []
            from call in calls.Calls
            from other in call.Value
            where call.Key != sleeper && other.Pid == timedOut.Pid && other.Time > timedOut.Time
            select $"{call.Key} ran in pid {other.Pid} after {sleeper} timed out there").ToList();
        Assert.True(afterTimeout.Count == 0, $"{afterTimeout.Count} calls reached a runtime after its timeout, e.g. {string.Join("; ", afterTimeout.Take(5))}");
    }
}
