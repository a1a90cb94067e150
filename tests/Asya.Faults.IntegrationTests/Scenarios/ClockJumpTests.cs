using System.Globalization;
using System.Text;
using Asya.Components;
using Asya.Components.Abstractions;
using Asya.Faults.IntegrationTests.Harness;
using Asya.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Asya.Faults.IntegrationTests.Scenarios;

/// <summary>
/// Wall-clock jumps (NTP step, VM resume) under the embedded SQLite transport, through its TimeProvider (the component
/// that keeps leases and delays in wall-clock time; unit level, no processes): a jump back
/// neither loses nor duplicates a leased or delayed message; a jump forward expires leases, so only the messages in
/// flight at the jump come again. Every message is acked exactly once in the end.
/// </summary>
public sealed class ClockJumpTests(ITestOutputHelper output)
{
    private const int Ready = 200;
    private const int Delayed = 50;
    private const int Leased = 100;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    // Found by this scenario: visible_at is wall-clock time, so a jump back of 1 h hid every message sent before it for
    // that hour (0 of 100 ready messages received); the transport now rebases rows stamped in the future.
    [Fact]
    public async Task ClockJumpsBackAndForward_NoMessageLostOrDuplicatedBeyondLeases()
    {
        using var dir = new TempDirectory();
        var clock = new SteppedClock(DateTimeOffset.UtcNow);
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(clock)
            .AddAsyaComponents()
            .AddSqliteComponents()
            .BuildServiceProvider();
        await using var transport = await LoadedComponents.CreateAsync<ITransport>(
            services.GetRequiredService<ComponentRegistry>(), services,
            ComponentSpec.Create("q", "pubsub.sqlite", ("connectionString", dir.Combine("asya.db"))), CancellationToken.None);
        const string queue = "asya-clock-work";
        await ((IQueueAdmin)transport).EnsureQueueAsync(new QueueSpec(queue), CancellationToken.None);
        for (var i = 0; i < Ready + Delayed; i++)
        {
            var body = Encoding.UTF8.GetBytes(i.ToString("D4", CultureInfo.InvariantCulture));
            await transport.SendAsync(queue, new OutgoingMessage(body) { Delay = i < Ready ? TimeSpan.Zero : TimeSpan.FromSeconds(60) }, CancellationToken.None);
        }

        var acked = new Dictionary<string, int>(StringComparer.Ordinal);

        // In flight across the jumps: received with a lease and never acked.
        var inFlight = await ReceiveAsync(transport, queue, Leased);
        Assert.Equal(Leased, inFlight.Count);
        var leasedBodies = inFlight.Select(m => Encoding.UTF8.GetString(m.Body.Span)).ToHashSet(StringComparer.Ordinal);

        clock.Jump(-TimeSpan.FromHours(1));
        var afterBack = await ReceiveAsync(transport, queue, int.MaxValue);
        Assert.Equal(Ready - Leased, afterBack.Count);
        await AckAsync(transport, afterBack, acked);
        Assert.Empty(await ReceiveAsync(transport, queue, int.MaxValue));

        clock.Jump(TimeSpan.FromHours(2));
        var afterForward = await ReceiveAsync(transport, queue, int.MaxValue);
        var redelivered = afterForward.Count(m => leasedBodies.Contains(Encoding.UTF8.GetString(m.Body.Span)));
        await AckAsync(transport, afterForward, acked);

        var depth = await ((IQueueDepthSource)transport).GetQueueDepthAsync(queue, CancellationToken.None);
        var line = $"fault-suite: clock-jump sqlite sent={Ready + Delayed} sink={acked.Count} sump=0 duplicate_calls={redelivered} " +
            $"lost={Ready + Delayed - acked.Count} (transport level: acked, redelivered after the forward jump)";
        output.WriteLine(line);
        FaultReport.Append(line);
        Assert.Equal(Ready + Delayed, acked.Count);
        Assert.All(acked, a => Assert.Equal(1, a.Value));
        Assert.Equal(Leased, redelivered);
        Assert.Equal(0, depth.Total);
    }

    private static async Task<List<TransportMessage>> ReceiveAsync(ITransport transport, string queue, int max)
    {
        var all = new List<TransportMessage>();
        while (all.Count < max)
        {
            var batch = await transport.ReceiveAsync(queue, new ReceiveOptions(Math.Min(50, max - all.Count), TimeSpan.Zero, Lease), CancellationToken.None);
            if (batch.Count == 0)
            {
                break;
            }

            all.AddRange(batch);
        }

        return all;
    }

    private static async Task AckAsync(ITransport transport, List<TransportMessage> messages, Dictionary<string, int> acked)
    {
        foreach (var message in messages)
        {
            await transport.AckAsync(message, CancellationToken.None);
            var key = Encoding.UTF8.GetString(message.Body.Span);
            acked[key] = acked.GetValueOrDefault(key) + 1;
        }
    }
}
