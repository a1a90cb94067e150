using Asya.Components.Abstractions;
using Xunit;

namespace Asya.Components.Compliance;

/// <summary>Receives that end early (cancelled, transport disposed) and a broker that goes away and comes back.</summary>
public abstract partial class TransportCompliance<TFixture>
{
    /// <summary>How long a cancelled or disposed receive may take to end: far below its <see cref="Patience"/> wait.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    [SkippableFact]
    public async Task Receive_CancelledWhileWaiting_EndsWithCancellationAndLosesNothing()
    {
        await using var transport = await Fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(transport);
        using var cancel = new CancellationTokenSource();

        var receiving = transport.ReceiveAsync(queue, new ReceiveOptions(1, Patience), cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => receiving.WaitAsync(Prompt));
        // The cancelled receive took nothing with it: the next message goes to the next receive.
        await transport.SendAsync(queue, Message("after cancel"), default);
        Assert.Equal("after cancel", Text(await ReceiveOneAsync(transport, queue)));
    }

    [SkippableFact]
    public async Task Dispose_DuringPendingReceive_EndsTheReceiveAndLosesNothing()
    {
        var transport = await Fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(transport);

        var receiving = transport.ReceiveAsync(queue, new ReceiveOptions(1, Patience), default).AsTask();
        await transport.DisposeAsync().AsTask().WaitAsync(Prompt);

        // Ending empty, cancelled or "disposed" are all fine; hanging for the whole wait, or returning a message, is not.
        try
        {
            Assert.Empty(await receiving.WaitAsync(Prompt));
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
        }

        await using var next = await Fixture.CreateTransportAsync();
        await next.SendAsync(queue, Message("after dispose"), default);
        Assert.Equal("after dispose", Text(await ReceiveOneAsync(next, queue)));
    }

    [SkippableFact]
    public async Task Send_AfterBrokerRestart_TransportReconnectsAndDeliversEverythingKept()
    {
        await using var transport = await Fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(transport);
        await transport.SendAsync(queue, Message("before"), default);

        await Fixture.RestartBrokerAsync();

        // The same transport (no new process) sends and receives again; the broker kept what it keeps.
        await SendWhileBrokerComesBackAsync(transport, queue, Message("after"));
        List<string> expected = Fixture.KeepsMessagesAcrossRestart ? ["before", "after"] : ["after"];
        var received = await ReceiveAllAsync(transport, queue, expected.Count);
        foreach (var message in received)
        {
            await transport.AckAsync(message, default);
        }

        Assert.Equal(expected.Order(StringComparer.Ordinal), received.Select(Text).Order(StringComparer.Ordinal));
        Assert.Empty(await transport.ReceiveAsync(queue, new ReceiveOptions(1, TimeSpan.FromMilliseconds(200)), default));
    }

    /// <summary>
    /// A send right after the broker answers again may still meet a connection the client has not yet noticed is dead;
    /// a transport reports that as an error (it never reports a lost message as sent), so the caller, like the sidecar,
    /// tries again until a deadline.
    /// </summary>
    private static async Task SendWhileBrokerComesBackAsync(ITransport transport, string queue, OutgoingMessage message)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (true)
        {
            try
            {
                await transport.SendAsync(queue, message, deadline.Token);
                return;
            }
            catch (Exception) when (!deadline.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
            }
        }
    }
}
