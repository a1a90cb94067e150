using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Asya.Components.Abstractions;
using Asya.Testing;
using Microsoft.Extensions.Logging;

namespace Asya.Components.RabbitMQ.IntegrationTests;

/// <summary>Restarts the shared broker, so it runs alone, after the other test classes (see <see cref="BrokerRestartGroup"/>).</summary>
[Collection(BrokerRestartGroup.Name)]
public sealed class RabbitMqBrokerRestartTests(RabbitMqTransportFixture fixture) : IClassFixture<RabbitMqTransportFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Receive_BrokerRestartMidStream_AllThousandMessagesArrive()
    {
        const int Count = 1000;
        var logs = new ListLoggerFactory();
        await using var transport = await fixture.CreateTransportAsync(new TestServices(logs), ("reconnectWaitSeconds", "1"), ("visibilityTimeout", "0"));
        var queue = await NewQueueAsync(transport);
        for (var i = 0; i < Count / 2; i++)
        {
            await transport.SendAsync(queue, Message(i.ToString(CultureInfo.InvariantCulture)), default);
        }

        var seen = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var restarting = new WaitSignal();
        async Task ConsumeAsync()
        {
            var paused = false;
            while (seen.Count < Count && !stop.IsCancellationRequested)
            {
                var batch = await transport.ReceiveAsync(queue, new ReceiveOptions(50, TimeSpan.FromMilliseconds(200)), stop.Token);
                foreach (var message in batch)
                {
                    seen.AddOrUpdate(Text(message), 1, (_, n) => n + 1);
                    await transport.AckAsync(message, stop.Token);
                }

                if (seen.Count >= Count / 5 && !paused)
                {
                    // Pause until the restart begins, so it lands mid-stream with messages still queued.
                    paused = true;
                    await restarting.WaitAsync(TimeSpan.FromMinutes(2));
                }
            }
        }

        var consuming = Task.Run(ConsumeAsync);
        await Eventually.TrueAsync(() => Task.FromResult(seen.Count >= Count / 5), Patience, "a fifth of the messages to be consumed");
        var restart = RabbitMqTestEnvironment.Broker.RestartAsync();
        restarting.Pulse();
        await restart;
        for (var i = Count / 2; i < Count; i++)
        {
            await transport.SendAsync(queue, Message(i.ToString(CultureInfo.InvariantCulture)), stop.Token);
        }

        await consuming;

        Assert.Contains(logs.Lines(LogLevel.Information), l => l.Contains("reconnected", StringComparison.Ordinal));
        var missing = Enumerable.Range(0, Count).Select(i => i.ToString(CultureInfo.InvariantCulture)).Where(id => !seen.ContainsKey(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {Count} messages never arrived, e.g. {string.Join(", ", missing.Take(10))}");
    }

    private async Task<string> NewQueueAsync(ITransport transport)
    {
        var queue = fixture.NewQueueName();
        await ((IQueueAdmin)transport).EnsureQueueAsync(new QueueSpec(queue), default);
        return queue;
    }

    private static OutgoingMessage Message(string text) => new(Encoding.UTF8.GetBytes(text));

    private static string Text(TransportMessage message) => Encoding.UTF8.GetString(message.Body.Span);
}
