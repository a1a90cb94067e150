using Asya.Components.Abstractions;
using Asya.ExternalScaler.Depth;
using Asya.Testing;

namespace Asya.ExternalScaler.Tests.Depth;

/// <summary>
/// A transport whose full depths lag (RabbitMQ's management API) and that counts ready messages live: push streams are
/// answered from the live count between polls. Own clock per test: the poller's waits are read from it.
/// </summary>
public sealed class LaggingDepthPollerTests() : PollerTestBase<ProbedTransport>(Settings, time => new ProbedTransport(time))
{
    private static readonly PollerSettings Settings = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10));

    [Fact]
    public async Task PushStream_LiveReadyCountRises_HeardBeforeTheNextPoll()
    {
        var heard = System.Threading.Channels.Channel.CreateUnbounded<QueueDepth>();
        using var listening = Poller.Track("q").Listen(depth => heard.Writer.TryWrite(depth));
        Assert.Equal(default, await Poller.ReadAsync("q", default));
        Assert.Equal(default, await heard.Reader.ReadAsync().AsTask().WaitAsync(Deadline));
        Assert.Equal(Settings.ProbeInterval, await Time.WaitForTimerAsync(Transport.TimersAtLastCall, IsPollerWait, Deadline));

        // A message arrives; the lagging depths still say 0, the live count says 1.
        Transport.Ready = 1;
        Time.Advance(Settings.ProbeInterval);

        Assert.Equal(new QueueDepth(1, 0, 0), await heard.Reader.ReadAsync().AsTask().WaitAsync(Deadline));
        Assert.Equal(1, Transport.Calls);
        Assert.Equal(1, Poller.Probes);
    }

    [Fact]
    public async Task NoPushStream_LiveReadyCountRises_NotAskedUntilTheNextPoll()
    {
        Assert.Equal(default, await Poller.ReadAsync("q", default));
        Transport.Ready = 1;
        for (var tick = 0; tick < 3; tick++)
        {
            var from = Time.TimersCreated;
            Time.Advance(Settings.ProbeInterval);
            await Time.WaitForTimerAsync(from, IsPollerWait, Deadline);
        }

        Assert.Equal(0, Poller.Probes);
        Assert.Equal(1, Transport.Calls);
        Assert.Equal(default, await Poller.ReadAsync("q", default));
    }

    [Fact]
    public async Task PushStream_OpensWhilePollerWaits_ProbedWithinAProbeInterval()
    {
        Assert.Equal(default, await Poller.ReadAsync("q", default));
        await Time.WaitForTimerAsync(Transport.TimersAtLastCall, IsPollerWait, Deadline);
        var heard = System.Threading.Channels.Channel.CreateUnbounded<QueueDepth>();
        using var listening = Poller.Track("q").Listen(depth => heard.Writer.TryWrite(depth));
        Transport.Ready = 1;

        Time.Advance(Settings.ProbeInterval);

        Assert.Equal(new QueueDepth(1, 0, 0), await heard.Reader.ReadAsync().AsTask().WaitAsync(Deadline));
        Assert.Equal(1, Transport.Calls);
    }
}
