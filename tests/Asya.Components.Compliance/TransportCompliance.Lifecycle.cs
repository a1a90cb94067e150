using Asya.Components.Abstractions;
using Xunit;

namespace Asya.Components.Compliance;

/// <summary>Receives that end early: cancelled, or the transport disposed under them.</summary>
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
}
