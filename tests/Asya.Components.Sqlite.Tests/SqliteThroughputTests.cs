using System.Diagnostics;
using System.Globalization;
using Asya.Components.Abstractions;
using Asya.Testing;
using Xunit.Abstractions;

namespace Asya.Components.Sqlite.Tests;

/// <summary>
/// Measures send+receive+ack rates and prints them (no timing assertion: the box is shared). Run with
/// <c>dotnet test --filter SqliteThroughputTests --logger "console;verbosity=detailed"</c> to see the numbers.
/// </summary>
public sealed class SqliteThroughputTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task SendReceiveAck_OneAtATime_AllProcessed()
    {
        const int Count = 3000;
        await using var transport = await CreateAsync();
        var body = new byte[512];
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < Count; i++)
        {
            await transport.SendAsync("q", new OutgoingMessage(body), default);
            var message = Assert.Single(await transport.ReceiveAsync("q", new ReceiveOptions(1, TimeSpan.FromSeconds(5)), default));
            await transport.AckAsync(message, default);
        }

        Report("sequential send, receive 1, ack", Count, clock.Elapsed);
    }

    [Fact]
    public async Task SendReceiveAck_ProducerAndTwoConsumers_AllProcessed()
    {
        const int Count = 20_000;
        await using var producer = await CreateAsync();
        await using var consumer = await CreateAsync();
        var body = new byte[512];
        var acked = 0;
        var clock = Stopwatch.StartNew();

        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < Count; i++)
            {
                await producer.SendAsync("q", new OutgoingMessage(body), default);
            }
        });
        async Task ConsumeAsync()
        {
            var idleSince = Stopwatch.StartNew();
            while (Volatile.Read(ref acked) < Count && idleSince.Elapsed < TimeSpan.FromSeconds(30))
            {
                var batch = await consumer.ReceiveAsync("q", new ReceiveOptions(32, TimeSpan.FromMilliseconds(200)), default);
                if (batch.Count > 0)
                {
                    idleSince.Restart();
                }

                foreach (var message in batch)
                {
                    await consumer.AckAsync(message, default);
                    Interlocked.Increment(ref acked);
                }
            }
        }

        await Task.WhenAll(sending, Task.Run(ConsumeAsync), Task.Run(ConsumeAsync));

        Assert.Equal(Count, acked);
        Report("1 producer, 2 consumers (batch 32)", Count, clock.Elapsed);
    }

    private void Report(string scenario, int count, TimeSpan elapsed) =>
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"pubsub.sqlite {scenario}: {count} messages in {elapsed.TotalMilliseconds:F0} ms = {count / elapsed.TotalSeconds:F0} msg/s"));

    private async Task<ITransport> CreateAsync()
    {
        var transport = (ITransport)new SqliteTransportFactory().Create(new TestServices());
        await transport.InitAsync(ComponentSpec.Create("queues", "pubsub.sqlite", ("path", _folder.Combine("bench.db"))), default);
        return transport;
    }
}
