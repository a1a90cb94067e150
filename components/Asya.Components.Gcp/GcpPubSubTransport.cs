using System.Collections.Concurrent;
using Asya.Components.Abstractions;
using Asya.Components.Gcp.PubSubV1;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Asya.Components.Gcp;

/// <summary>
/// <c>pubsub.gcp.pubsub</c> on the Pub/Sub v1 gRPC API: a topic and a subscription per queue, both named as the queue.
/// Receive drains a StreamingPull (<see cref="SubscriptionConsumer"/>) and sets each handed-out message's ack deadline
/// to the visibility timeout; ack is Acknowledge, nack is modifyAckDeadline (0, or the delay up to 600 s; longer delays
/// republish with a not-before attribute). Delayed sends carry the not-before attribute. Depth is what this process
/// knows plus a peek (see <see cref="GetQueueDepthAsync"/>): Pub/Sub has no backlog API.
/// </summary>
internal sealed partial class GcpPubSubTransport(TimeProvider timeProvider, ILogger<GcpPubSubTransport> logger, Func<string, string?> environment)
    : ITransport, IQueueDepthSource, IQueueAdmin, ILeaseExtender
{
    /// <summary>Pub/Sub's limit for a message's data: 10 MB (https://cloud.google.com/pubsub/quotas#resource_limits).</summary>
    public const int MaxMessageBytes = 10_000_000;

    private const int PeekBatch = 1000;
    private const int PeekLimit = 10_000;
    private static readonly TimeSpan PublishRetryBudget = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, QueueState> _queues = new(StringComparer.Ordinal);
    // One creation task per queue, shared by every caller: a publisher must not slip a message in between the
    // re-created topic and its subscription (Pub/Sub drops messages published to a topic without subscriptions).
    private readonly Dictionary<string, Task> _ensured = new(StringComparer.Ordinal);
    private readonly Lock _ensuredLock = new();
    private PubSubConnection? _connection;

    public string Name { get; private set; } = "pubsub.gcp.pubsub";

    public GcpPubSubSettings Settings { get; private set; } = new() { ProjectId = "unset" };

    public TimeProvider Time => timeProvider;

    public ILogger Logger => logger;

    public DeliveryTracker Tracker { get; } = new();

    public PubSubConnection Connection => _connection
        ?? throw new InvalidOperationException($"Pub/Sub transport '{Name}' is not initialised");

    public async ValueTask InitAsync(ComponentSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Name = spec.Name;
        Settings = GcpPubSubSettings.Read(spec, environment);
        _connection = await PubSubConnection.OpenAsync(spec, Settings, cancellationToken).ConfigureAwait(false);
        await ProbeAsync(spec, cancellationToken).ConfigureAwait(false);
        logger.Connected(Name, Settings.ProjectId, Settings.EmulatorEndpoint ?? Settings.CloudEndpoint);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var state in _queues.Values)
        {
            if (state.Consumer is { } consumer)
            {
                await consumer.DisposeAsync().ConfigureAwait(false);
            }
        }

        _queues.Clear();
        _connection?.Dispose();
        _connection = null;
    }

    private async Task ProbeAsync(ComponentSpec spec, CancellationToken cancellationToken)
    {
        // Any answer (even NotFound or PermissionDenied) proves the endpoint speaks Pub/Sub; only no answer is fatal.
        try
        {
            await Connection.Publisher.GetTopicAsync(
                new GetTopicRequest { Topic = PubSubNames.Topic(Settings.ProjectId, "asya-probe") },
                deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (IsConnectionFault(ex) || ex.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Internal)
        {
            throw new ComponentConfigurationException(
                $"{spec.Describe()}: cannot reach Pub/Sub at {Settings.EmulatorEndpoint ?? Settings.CloudEndpoint} ({ex.StatusCode}: {ex.Status.Detail})", ex);
        }
        catch (RpcException)
        {
        }
    }

    /// <summary>
    /// The call got no answer because the connection is down or being re-established (gRPC's transient
    /// <c>Unavailable</c>); any other status is the service's answer.
    /// </summary>
    private static bool IsConnectionFault(RpcException ex) => ex.StatusCode == StatusCode.Unavailable;

    private QueueState State(string queue) =>
        _queues.GetOrAdd(PubSubNames.CheckQueue(queue), q => new QueueState(
            q, PubSubNames.Topic(Settings.ProjectId, q), PubSubNames.Subscription(Settings.ProjectId, q)));
}
