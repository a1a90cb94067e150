using System.Collections.Concurrent;
using Amazon.SQS;
using Asya.Components.Abstractions;
using Microsoft.Extensions.Logging;

namespace Asya.Components.Aws;

/// <summary>
/// The SQS transport behind <c>pubsub.aws.snssqs</c> and <c>bindings.aws.sqs</c>: one standard queue per actor
/// (no SNS topic), long-polled receives, acks deleted in batches, nacks by visibility 0. Delays use DelaySeconds up to
/// SQS's 15 minutes; a longer one carries its due time and is sent again with the rest of the delay when it surfaces
/// early. A delayed nack sends a copy (so the scaler sees it as delayed, not in flight) carrying the delivery count.
/// Missing queues are created (unless <c>disableEntityManagement</c>), also when they vanish under a running transport.
/// </summary>
internal sealed partial class SqsTransport(
    string type, Func<ComponentSpec, ILogger, SqsSettings> readSettings, TimeProvider timeProvider, ILogger<SqsTransport> logger)
    : ITransport, IQueueDepthSource, IQueueAdmin, ILeaseExtender
{
    public const string DeadLetterSuffix = "-dlq";

    /// <summary>SQS's classic message limit (body plus attributes); binary bodies are base64, so they fit about 192 KiB.</summary>
    public const int MaxMessageBytes = 256 * 1024;

    private const int MaxDelaySeconds = 900;
    private const int MaxVisibilitySeconds = 43_200;
    private const int MaxParallelDepthCalls = 8;
    private const string ReceiveCountAttribute = "ApproximateReceiveCount";

    /// <summary>SQS refuses to re-create a deleted queue for 60 s; a little more, so a refusal at its very end is waited out too.</summary>
    private static readonly TimeSpan RecreateWindow = TimeSpan.FromSeconds(70);

    private static readonly TimeSpan MaxRecreateDelay = TimeSpan.FromSeconds(5);

    /// <summary>A long-delayed message surfacing this close to its due time is delivered rather than deferred again.</summary>
    private static readonly TimeSpan DueSlack = TimeSpan.FromMilliseconds(500);

    private static readonly List<string> DepthAttributes =
        ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"];

    private readonly ConcurrentDictionary<string, string> _urls = new(StringComparer.Ordinal);
    // Cancelled by DisposeAsync, so a pending long poll ends with the transport.
    private readonly CancellationTokenSource _closing = new();
    private int _disposed;
    private AmazonSQSClient? _client;
    private SqsAckBatcher? _acks;
    private SqsSettings _settings = new() { ComponentName = type };

    internal SqsSettings Settings => _settings;

    private AmazonSQSClient Client => _client ?? throw new InvalidOperationException($"SQS transport '{_settings.ComponentName}' is not initialised");

    public async ValueTask InitAsync(ComponentSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _settings = readSettings(spec, logger);
        var client = SqsClientFactory.Create(_settings, spec);
        try
        {
            await SqsClientFactory.CheckAsync(client, _settings, spec, logger, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        _client = client;
        _acks = new SqsAckBatcher(client);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        _closing.Dispose();
        if (_acks is { } acks)
        {
            _acks = null;
            await acks.DisposeAsync().ConfigureAwait(false);
        }

        _client?.Dispose();
        _client = null;
    }

    private static int Seconds(TimeSpan value, int min, int max) =>
        (int)Math.Clamp(Math.Ceiling(Math.Max(0, value.TotalSeconds)), min, max);
}
