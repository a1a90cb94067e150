using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Asya.Components.RabbitMQ;

// The connection: its loss and recovery, and which exceptions mean it (or a channel on it) went away.
internal sealed partial class RabbitMqTransport
{
    private Task OnConnectionShutdownAsync(object sender, ShutdownEventArgs args)
    {
        // Delivery tags die with the connection: what was buffered or held comes back from the broker after recovery.
        Interlocked.Increment(ref _generation);
        foreach (var message in _inFlight.Keys)
        {
            _inFlight.TryRemove(message, out _);
        }

        if (!_stopping.IsCancellationRequested)
        {
            logger.ConnectionLost(_name, args.ReplyText);
        }

        return Task.CompletedTask;
    }

    private Task OnRecoveredAsync(object sender, AsyncEventArgs args)
    {
        logger.ConnectionRecovered(_name);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The call failed because its connection or channel is gone (a socket error, a closed or interrupted connection or
    /// channel, whoever closed it). The client reconnects by itself and the broker takes back what the channel held, so
    /// callers retry, or leave the message to the broker, instead of failing the caller's work. Every filter in this
    /// transport starts from this one test.
    /// </summary>
    internal static bool IsConnectionFault(Exception ex) =>
        // AlreadyClosedException is an OperationInterruptedException; BrokerUnreachableException is an IOException.
        ex is OperationInterruptedException or IOException;

    /// <summary>
    /// A connection fault that is really the broker's answer to the operation: it closed the channel to refuse it
    /// (404 no such queue, 406 arguments differ) on a live connection. Retrying would get the same answer.
    /// </summary>
    private static bool IsRefusal(Exception ex) =>
        ex is OperationInterruptedException and not AlreadyClosedException
        and not OperationInterruptedException { ShutdownReason.Initiator: not ShutdownInitiator.Peer }
        and not OperationInterruptedException { ShutdownReason.ReplyCode: 320 or 541 };

    private static string Reason(Exception ex)
    {
        var reasons = new List<string>();
        for (var e = (Exception?)ex; e is not null; e = e.InnerException)
        {
            if (!reasons.Contains(e.Message))
            {
                reasons.Add(e.Message);
            }
        }

        return string.Join(" → ", reasons);
    }
}
