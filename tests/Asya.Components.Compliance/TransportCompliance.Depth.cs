using Asya.Components.Abstractions;
using Asya.Testing;
using Xunit;

namespace Asya.Components.Compliance;

/// <summary>Queue depths as the scaler reads them: many queues in one call, from another process.</summary>
public abstract partial class TransportCompliance<TFixture>
{
    [SkippableFact]
    public async Task GetQueueDepths_SeveralQueues_EqualsOneCallPerQueue()
    {
        await using var transport = await Fixture.CreateTransportAsync();
        var depth = Require<IQueueDepthSource>(transport, "queue depths");
        var busy = await NewQueueAsync(transport);
        var delayed = await NewQueueAsync(transport);
        var empty = await NewQueueAsync(transport);
        var unknown = Fixture.NewQueueName();
        for (var i = 0; i < 3; i++)
        {
            await transport.SendAsync(busy, Message($"ready-{i}"), default);
        }

        await transport.SendAsync(delayed, Message("later") with { Delay = TimeSpan.FromMinutes(5) }, default);
        await ReceiveOneAsync(transport, busy);

        var batch = await depth.GetQueueDepthsAsync([busy, delayed, empty, unknown], default);

        Assert.Equal(4, batch.Count);
        Assert.Equal(new QueueDepth(2, 1, 0), batch[busy]);
        Assert.Equal(new QueueDepth(0, 0, 1), batch[delayed]);
        foreach (var queue in new[] { busy, delayed, empty, unknown })
        {
            Assert.Equal(await depth.GetQueueDepthAsync(queue, default), batch[queue]);
        }
    }

    [SkippableFact]
    public async Task GetQueueDepth_FromAnotherProcess_SeesReadyInFlightAndDelayed()
    {
        Skip.If(Fixture.SharedDepthUnsupportedReason is not null, Fixture.SharedDepthUnsupportedReason);
        await using var sidecar = await Fixture.CreateTransportAsync();
        Require<IQueueDepthSource>(sidecar, "queue depths");
        var queue = await NewQueueAsync(sidecar);
        for (var i = 0; i < 3; i++)
        {
            await sidecar.SendAsync(queue, Message($"ready-{i}"), default);
        }

        await sidecar.SendAsync(queue, Message("later") with { Delay = TimeSpan.FromMinutes(5) }, default);
        await ReceiveOneAsync(sidecar, queue);

        // A new transport on the same storage is what the scaler is: it never sent or received anything itself. It
        // cannot tell a message the sidecar prefetched from one it works on (both are the sidecar's), so the check is
        // on what the scaler sums, waiting plus in flight, and on the delayed ones it must not count. Brokers that publish
        // counters with a lag (RabbitMQ's management statistics) say so (DepthLags) and get a moment to agree.
        await using var scaler = await Fixture.CreateDepthReaderAsync();
        var source = (IQueueDepthSource)scaler;
        var last = default(QueueDepth);
        async Task<bool> AgreesAsync()
        {
            last = await source.GetQueueDepthAsync(queue, default);
            return last.Ready + last.InFlight == 3 && last.Delayed == 1;
        }

        var what = "the second process to see 3 messages waiting or in flight and 1 delayed";
        if (Fixture.DepthLags)
        {
            await Eventually.TrueAsync(AgreesAsync, Patience, what);
        }
        else
        {
            Assert.True(await AgreesAsync(), $"expected {what} at once, saw {last}");
        }

        Assert.Equal(last, (await source.GetQueueDepthsAsync([queue], default))[queue]);
    }
}
