using Asya.Components.Abstractions;
using Xunit;

namespace Asya.Components.Compliance;

/// <summary>
/// The broker goes away and comes back under a running transport (one subclass per transport, like
/// <see cref="TransportCompliance{TFixture}"/>). A separate class because the restart disturbs every test on the same
/// broker: broker assemblies put their subclass in a collection with parallelization disabled, which xunit runs alone.
/// </summary>
public abstract class TransportRestartCompliance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, ITransportFixture
{
    protected TFixture Fixture { get; } = fixture;

    [SkippableFact]
    public async Task Send_AfterBrokerRestart_TransportReconnectsAndDeliversEverythingKept()
    {
        await using var transport = await Fixture.CreateTransportAsync();
        var queue = Fixture.NewQueueName();
        await EnsureAsync(transport, queue);
        await transport.SendAsync(queue, TransportCompliance<TFixture>.Message("before"), default);

        await Fixture.RestartBrokerAsync();

        // The same transport (no new process) sends and receives again; the broker kept what it keeps.
        await RetryWhileBrokerComesBackAsync(() => EnsureAsync(transport, queue));
        await RetryWhileBrokerComesBackAsync(() => transport.SendAsync(queue, TransportCompliance<TFixture>.Message("after"), default).AsTask());
        List<string> expected = Fixture.KeepsMessagesAcrossRestart ? ["before", "after"] : ["after"];
        var received = await TransportCompliance<TFixture>.ReceiveAllAsync(transport, queue, expected.Count);
        foreach (var message in received)
        {
            await transport.AckAsync(message, default);
        }

        Assert.Equal(expected.Order(StringComparer.Ordinal), received.Select(TransportCompliance<TFixture>.Text).Order(StringComparer.Ordinal));
        Assert.Empty(await transport.ReceiveAsync(queue, new ReceiveOptions(1, TimeSpan.FromMilliseconds(500)), default));
    }

    /// <summary>An emulator comes back empty, so the queue is ensured again (as the sidecar does at start); idempotent elsewhere.</summary>
    private static async Task EnsureAsync(ITransport transport, string queue)
    {
        if (transport is IQueueAdmin admin)
        {
            await admin.EnsureQueueAsync(new QueueSpec(queue), default);
        }
    }

    /// <summary>
    /// A call right after the broker answers again may still meet a connection the client has not yet noticed is dead;
    /// a transport reports that as an error (it never reports a lost message as sent), so the caller, like the sidecar,
    /// tries again until a deadline. A duplicate from a send reported failed but done shows in the final assertions.
    /// </summary>
    private static async Task RetryWhileBrokerComesBackAsync(Func<Task> call)
    {
        using var deadline = new CancellationTokenSource(TransportCompliance<TFixture>.Patience);
        while (true)
        {
            try
            {
                await call();
                return;
            }
            catch (Exception) when (!deadline.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
            }
        }
    }
}
