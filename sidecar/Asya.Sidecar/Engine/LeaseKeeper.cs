using Asya.Components.Abstractions;
using Microsoft.Extensions.Logging;

namespace Asya.Sidecar.Engine;

/// <summary>While a delivery is being handled, extends its lease every third of the lease so long handlers keep it.</summary>
internal sealed class LeaseKeeper : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private LeaseKeeper(ILeaseExtender extender, TransportMessage message, TimeSpan lease, TimeProvider timeProvider, ILogger logger)
    {
        _loop = RunAsync(extender, message, lease, timeProvider, logger, _stop.Token);
    }

    public static IDisposable? Start(ITransport transport, TransportMessage message, TimeSpan lease, TimeProvider timeProvider, ILogger logger) =>
        transport is ILeaseExtender extender && lease > TimeSpan.Zero
            ? new LeaseKeeper(extender, message, lease, timeProvider, logger)
            : null;

    private static async Task RunAsync(ILeaseExtender extender, TransportMessage message, TimeSpan lease, TimeProvider timeProvider, ILogger logger, CancellationToken cancellationToken)
    {
        var period = lease / 3;
        try
        {
            while (true)
            {
                await Task.Delay(period, timeProvider, cancellationToken);
                try
                {
                    await extender.ExtendLeaseAsync(message, lease, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LeaseExtendFailed(message.Id, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _ = _loop.ContinueWith(_ => _stop.Dispose(), TaskScheduler.Default);
    }
}
