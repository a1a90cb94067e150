using System.Threading.Channels;
using Asya.Components.Abstractions;
using Asya.Hosting.Health;
using Asya.Sidecar.Configuration;
using Asya.Sidecar.Hosting;
using Asya.Sidecar.Observability;
using Asya.Sidecar.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Asya.Sidecar.Engine;

/// <summary>
/// Receives from the actor queue into a bounded channel drained by <c>concurrency</c> workers. Shutdown: stop receiving,
/// let in-flight deliveries finish within the drain timeout, and leave anything unfinished to redelivery.
/// </summary>
internal sealed class ReceiveLoop(
    SidecarOptions options,
    ITransport transport,
    IDeliveryHandler handler,
    SidecarMetrics metrics,
    SidecarState state,
    TimeProvider timeProvider,
    LoopHeartbeats heartbeats,
    IHostApplicationLifetime lifetime,
    ILogger<ReceiveLoop> logger,
    IRuntimeController? runtime = null) : BackgroundService
{
    /// <summary>
    /// Envelopes per handler slot in the worker pool: while earlier envelopes' results wait for the broker's
    /// confirms, the next is already in the handler (the runtime client's gate keeps the handler at
    /// <c>--concurrency</c>). 3 measured best on RabbitMQ with persistent messages (bench/README.md).
    /// </summary>
    public const int PipelineDepth = 3;

    /// <summary>Waits after failed receives: 1 s, 2 s, 4 s, … at most 30 s.</summary>
    public static readonly Backoff ReceiveBackoff = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    /// <summary>
    /// Longest step of the receive loop before <c>/readyz</c> calls it stuck: a receive waits at most 1 s for messages
    /// and the longest wait after failures is 30 s, so a minute without a beat is a receive that never returned.
    /// </summary>
    public static readonly TimeSpan ReceiveDeadline = TimeSpan.FromSeconds(60);

    private readonly CancellationTokenSource _processing = new();
    private readonly LoopHeartbeat _heartbeat = heartbeats.Add("receive-loop", ReceiveDeadline);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (runtime is not null && !await runtime.WaitReadyAsync(options.RuntimeReadyTimeout, stoppingToken))
        {
            logger.RuntimeNeverReady(options.ReadyFilePath, options.RuntimeReadyTimeout);
            state.ExitCode = 1;
            lifetime.StopApplication();
            return;
        }

        await EnsureQueuesAsync(stoppingToken);
        var channel = Channel.CreateBounded<HeldDelivery>(new BoundedChannelOptions(options.Concurrency)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = true,
        });
        // Crew actors have no runtime to overlap with, so they keep one worker per slot.
        var workerCount = runtime is null ? options.Concurrency : options.Concurrency * PipelineDepth;
        var workers = Enumerable.Range(0, workerCount).Select(_ => Task.Run(() => WorkAsync(channel.Reader))).ToArray();
        state.Receiving = true;
        logger.Receiving(options.OwnQueue, options.Concurrency);
        try
        {
            await ReceiveAsync(channel.Writer, stoppingToken);
        }
        finally
        {
            _heartbeat.Idle();
            state.Receiving = false;
            channel.Writer.TryComplete();
            await DrainAsync(workers);

            // Left in the channel when the drain timed out: never started, so handed back now.
            while (channel.Reader.TryRead(out var left))
            {
                left.Lease?.Dispose();
                await NackQuietlyAsync(left.Message);
            }
        }
    }

    private async Task ReceiveAsync(ChannelWriter<HeldDelivery> writer, CancellationToken stoppingToken)
    {
        var receiveOptions = new ReceiveOptions(options.Concurrency, TimeSpan.FromSeconds(1), options.Lease);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<TransportMessage> batch;
            var started = timeProvider.GetTimestamp();
            _heartbeat.Beat();
            try
            {
                batch = await transport.ReceiveAsync(options.OwnQueue, receiveOptions, stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                var delay = ReceiveBackoff.After(failures);
                logger.ReceiveFailed(options.OwnQueue, failures, delay, ex);
                _heartbeat.Beat();
                try
                {
                    await Task.Delay(delay, timeProvider, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            if (batch.Count > 0)
            {
                metrics.ReceiveDuration(timeProvider.GetElapsedTime(started));
            }

            // Leases are kept from receipt, not from when a worker starts: a delivery waiting for a worker (all of them
            // held while a killed runtime restarts) would otherwise expire and be delivered a second time.
            var held = batch.Select(m => new HeldDelivery(m, LeaseKeeper.Start(transport, m, options.Lease, timeProvider, logger))).ToList();

            // A full channel is every worker busy with a handler (bounded by the actor timeout, not by this loop).
            _heartbeat.Idle();
            for (var i = 0; i < held.Count; i++)
            {
                try
                {
                    await writer.WriteAsync(held[i], stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    // Received but never started: hand these back at once instead of waiting out their lease.
                    for (var j = i; j < held.Count; j++)
                    {
                        held[j].Lease?.Dispose();
                        await NackQuietlyAsync(held[j].Message);
                    }

                    return;
                }
            }
        }
    }

    private async Task WorkAsync(ChannelReader<HeldDelivery> reader)
    {
        var token = _processing.Token;
        try
        {
            await foreach (var held in reader.ReadAllAsync(token))
            {
                using (held.Lease)
                {
                    await HandleOneAsync(held.Message, token);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private async Task HandleOneAsync(TransportMessage message, CancellationToken token)
    {
        var started = timeProvider.GetTimestamp();
        metrics.Received(message.Body.Length);
        if (transport is IDeliveryValidity validity && !validity.IsStillHeld(message))
        {
            // Received before a reconnect and handled after it: the broker delivers it again, so running the handler
            // now would run it twice. Nothing to settle either: the delivery is gone.
            metrics.Count(DeliveryOutcome.LeaseLost);
            logger.EnvelopeHandled(message.Id, options.Actor, DeliveryOutcome.LeaseLost.Name, "broker", 0);
            return;
        }

        metrics.ActiveChanged(1);
        DeliveryResult result;
        try
        {
            result = await handler.HandleAsync(message, token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Drain timeout passed mid-handler: not handled, so not acked; the broker redelivers it.
            await NackQuietlyAsync(message);
            metrics.ActiveChanged(-1);
            return;
        }
        catch (Exception ex)
        {
            logger.DeliveryFailed(message.Id, ex);
            result = DeliveryResult.Nack(null, "error: " + ex.GetType().Name);
        }

        try
        {
            if (result.Ack)
            {
                await transport.AckAsync(message, CancellationToken.None);
            }
            else
            {
                metrics.Count(result.Kind);
                await transport.NackAsync(message, TimeSpan.FromSeconds(1), CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.AckFailed(message.Id, ex.Message);
        }
        finally
        {
            metrics.ActiveChanged(-1);
        }

        var duration = timeProvider.GetElapsedTime(started);
        metrics.ProcessingDuration(duration);
        logger.EnvelopeHandled(result.EnvelopeId ?? message.Id, options.Actor, result.Outcome, result.Destination, (long)duration.TotalMilliseconds);
    }

    private async Task DrainAsync(Task[] workers)
    {
        var all = Task.WhenAll(workers);
        try
        {
            await all.WaitAsync(options.DrainTimeout, timeProvider);
        }
        catch (TimeoutException)
        {
            logger.DrainTimedOut(options.DrainTimeout);
            await _processing.CancelAsync();
            await all;
        }
    }

    private async Task EnsureQueuesAsync(CancellationToken cancellationToken)
    {
        if (!options.AutoCreateQueues || transport is not IQueueAdmin admin)
        {
            return;
        }

        foreach (var actor in new[] { options.Actor, options.Sink, options.Sump }.Distinct(StringComparer.Ordinal))
        {
            await admin.EnsureQueueAsync(new QueueSpec(options.QueueOf(actor)), cancellationToken);
        }
    }

    private async Task NackQuietlyAsync(TransportMessage message)
    {
        try
        {
            await transport.NackAsync(message, TimeSpan.Zero, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.AckFailed(message.Id, ex.Message);
        }
    }

    public override void Dispose()
    {
        _processing.Dispose();
        base.Dispose();
    }
}
