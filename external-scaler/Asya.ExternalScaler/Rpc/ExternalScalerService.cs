using System.Threading.Channels;
using Asya.Components.Abstractions;
using Asya.ExternalScaler.Depth;
using Asya.ExternalScaler.Metadata;
using Asya.ExternalScaler.Observability;
using Asya.ExternalScaler.Protocol;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Asya.ExternalScaler.Rpc;

/// <summary>
/// KEDA's external scaler contract over the depth cache. Errors are never turned into 0: bad metadata is
/// <c>InvalidArgument</c> naming the key, missing or stale depth is <c>Unavailable</c> (KEDA then applies its
/// fallback), and <c>GetMetricSpec</c> answers from metadata alone so it works while the broker is down.
/// </summary>
internal sealed class ExternalScalerService(
    MetadataCache metadata,
    IHostApplicationLifetime lifetime,
    ScalerMetrics metrics,
    ILogger<ExternalScalerService> logger) : Protocol.ExternalScaler.ExternalScalerBase
{
    public override Task<GetMetricSpecResponse> GetMetricSpec(ScaledObjectRef request, ServerCallContext context) =>
        Task.FromResult(SpecOf(Resolve(request)));

    public override async Task<GetMetricsResponse> GetMetrics(GetMetricsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var trigger = Resolve(request.ScaledObjectRef ?? throw Invalid("scaledObjectRef", "GetMetrics needs scaledObjectRef"));
        if (!NameMatches(request.MetricName, trigger.MetricName))
        {
            throw Invalid("metricName", $"metricName '{request.MetricName}' is not this trigger's metric; GetMetricSpec returns '{trigger.MetricName}'");
        }

        var value = trigger.MetricValue(await ReadAsync(trigger, context.CancellationToken));
        return new GetMetricsResponse
        {
            // Exactly one value: KEDA (and the HPA) sum every value returned for a metric.
            MetricValues = { new MetricValue { MetricName = trigger.MetricName, MetricValue_ = value, MetricValueFloat = value } },
        };
    }

    public override async Task<IsActiveResponse> IsActive(ScaledObjectRef request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var trigger = Resolve(request);
        return new IsActiveResponse { Result = trigger.IsActive(await ReadAsync(trigger, context.CancellationToken)) };
    }

    /// <summary>
    /// Pushes <c>true</c> once when the stream opens on an active actor, then once per inactive → active transition:
    /// repeated <c>true</c> would keep extending KEDA's cooldown. Ends with OK on shutdown so KEDA re-dials in 2 s
    /// instead of backing off.
    /// </summary>
    public override async Task StreamIsActive(ScaledObjectRef request, IServerStreamWriter<IsActiveResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var trigger = Resolve(request);
        if (trigger.Poller.Unsupported is { } unsupported)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, unsupported));
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var changes = Channel.CreateBounded<QueueDepth>(new BoundedChannelOptions(1)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = true,
        });
        var watch = trigger.Poller.Track(trigger.Queue);
        using var listening = watch.Listen(depth => changes.Writer.TryWrite(depth));
        if (watch.Sample is { } current)
        {
            changes.Writer.TryWrite(current.Depth);
        }

        metrics.StreamOpened();
        try
        {
            var active = false;
            await foreach (var depth in changes.Reader.ReadAllAsync(stop.Token))
            {
                var now = trigger.IsActive(depth);
                if (now && !active)
                {
                    await responseStream.WriteAsync(new IsActiveResponse { Result = true }, stop.Token);
                    metrics.Pushed(trigger.Poller.Component);
                }

                active = now;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // KEDA went away, or we are shutting down: either way the stream ends cleanly.
        }
        finally
        {
            metrics.StreamClosed();
        }
    }

    /// <summary>The spec once at open (KEDA's rule), then nothing until shutdown: specs change only with the metadata.</summary>
    public override async Task StreamMetricSpec(ScaledObjectRef request, IServerStreamWriter<GetMetricSpecResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var spec = SpecOf(Resolve(request));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        await responseStream.WriteAsync(spec, stop.Token);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static GetMetricSpecResponse SpecOf(ScalerMetadata trigger) => new()
    {
        MetricSpecs =
        {
            new MetricSpec
            {
                MetricName = trigger.MetricName,
                TargetSize = Math.Max(1, (long)Math.Round(trigger.TargetQueueLength, MidpointRounding.AwayFromZero)),
                TargetSizeFloat = trigger.TargetQueueLength,
            },
        },
    };

    /// <summary>The HPA lower-cases names and KEDA before 2.7 sent them with an <c>sN-</c> prefix.</summary>
    private static bool NameMatches(string requested, string expected)
    {
        if (string.IsNullOrEmpty(requested) || string.Equals(requested, expected, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var dash = requested.IndexOf('-', StringComparison.Ordinal);
        return dash > 1 && requested[0] is 's' or 'S' && requested.AsSpan(1, dash - 1).ToString().All(char.IsAsciiDigit)
            && string.Equals(requested[(dash + 1)..], expected, StringComparison.OrdinalIgnoreCase);
    }

    private ScalerMetadata Resolve(ScaledObjectRef request)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return metadata.Resolve(request.Name, request.Namespace, request.ScalerMetadata);
        }
        catch (InvalidMetadataException ex)
        {
            logger.MetadataRejected(request.Namespace, request.Name, ex.Message);
            throw Invalid(ex.Key, $"ScaledObject {request.Namespace}/{request.Name}: {ex.Message}");
        }
    }

    private static async ValueTask<QueueDepth> ReadAsync(ScalerMetadata trigger, CancellationToken cancellationToken)
    {
        try
        {
            return await trigger.Poller.ReadAsync(trigger.Queue, cancellationToken);
        }
        catch (DepthUnavailableException ex)
        {
            throw new RpcException(new Status(ex.Permanent ? StatusCode.FailedPrecondition : StatusCode.Unavailable, ex.Message));
        }
    }

    private static RpcException Invalid(string key, string message)
    {
        var trailers = new Grpc.Core.Metadata { { "asya-invalid-key", key } };
        return new RpcException(new Status(StatusCode.InvalidArgument, message), trailers);
    }
}
