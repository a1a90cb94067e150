using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
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
internal sealed class SqsTransport(
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

    public async ValueTask<IReadOnlyList<TransportMessage>> ReceiveAsync(string queue, ReceiveOptions options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxMessages, 1);
        var max = Math.Min(Math.Min(options.MaxMessages, _settings.MaxMessages), 10);
        var visibility = Seconds(options.VisibilityTimeout ?? _settings.VisibilityTimeout, 0, MaxVisibilitySeconds);
        var started = timeProvider.GetTimestamp();
        var first = true;
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        try
        {
            while (true)
            {
                var remaining = options.WaitTime - timeProvider.GetElapsedTime(started);
                if (!first && remaining <= TimeSpan.Zero)
                {
                    return [];
                }

                first = false;
                // SQS long-polls in whole seconds: a wait is rounded up, so an empty answer never comes before the wait
                // time (rounding down made sub-second waits short polls, and idle consumers spin).
                var wait = (int)Math.Clamp(Math.Ceiling(remaining.TotalSeconds), 0, _settings.WaitTimeSeconds);
                var leaseEnds = timeProvider.GetUtcNow().AddSeconds(visibility);
                var response = await CallAsync("ReceiveMessage", queue, create: _settings.ManageQueues, (url, ct) => Client.ReceiveMessageAsync(new ReceiveMessageRequest
                {
                    QueueUrl = url,
                    MaxNumberOfMessages = max,
                    WaitTimeSeconds = wait,
                    VisibilityTimeout = visibility,
                    MessageAttributeNames = ["All"],
                    MessageSystemAttributeNames = [ReceiveCountAttribute],
                }, ct), waiting.Token).ConfigureAwait(false);

                var accepted = await AcceptAsync(queue, response.Url, response.Value.Messages, leaseEnds, waiting.Token).ConfigureAwait(false);
                if (accepted.Count > 0)
                {
                    return accepted;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or ObjectDisposedException
            && _closing.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Disposed while waiting: the receive ends empty; whatever SQS handed out meanwhile comes back after its lease.
            return [];
        }
    }

    public async ValueTask SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentNullException.ThrowIfNull(message);
        await SendCoreAsync(queue, message.Body, message.Headers, message.Delay, priorDeliveries: 0, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask AckAsync(TransportMessage message, CancellationToken cancellationToken)
    {
        var own = Own(message);
        if (LeaseExpired(own, "ack"))
        {
            return;
        }

        await DeleteAsync(own, "ack", cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask NackAsync(TransportMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        var own = Own(message);
        if (LeaseExpired(own, "nack"))
        {
            // Back in the queue already (its lease ran out); a copy or a visibility change now would hit another holder.
            return;
        }

        if (delay <= TimeSpan.Zero)
        {
            await ChangeVisibilityAsync(own, 0, "nack", cancellationToken).ConfigureAwait(false);
            return;
        }

        // A copy with DelaySeconds counts as delayed (a hidden original would count as in flight) and can wait
        // longer than a visibility timeout; it carries the deliveries so far, and the original goes once it is sent.
        if (_settings.DeadLetter && !IsDeadLetterQueue(own.Queue) && own.DeliveryCount >= _settings.MaxReceiveCount)
        {
            var deadLetterQueue = own.Queue + DeadLetterSuffix;
            await SendCoreAsync(deadLetterQueue, own.Body, own.Headers, TimeSpan.Zero, own.DeliveryCount, cancellationToken).ConfigureAwait(false);
            logger.DeadLettered(own.Id, own.Queue, own.DeliveryCount, deadLetterQueue);
        }
        else
        {
            await SendCoreAsync(own.Queue, own.Body, own.Headers, delay, own.DeliveryCount, cancellationToken).ConfigureAwait(false);
        }

        await DeleteAsync(own, "nack", cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask ExtendLeaseAsync(TransportMessage message, TimeSpan extension, CancellationToken cancellationToken)
    {
        var own = Own(message);
        if (LeaseExpired(own, "lease extension"))
        {
            return;
        }

        var seconds = Seconds(extension, 0, MaxVisibilitySeconds);
        var leaseEnds = timeProvider.GetUtcNow().AddSeconds(seconds);
        await ChangeVisibilityAsync(own, seconds, "lease extension", cancellationToken).ConfigureAwait(false);
        own.LeaseEnds = leaseEnds;
    }

    /// <summary>True (and logged) when <paramref name="message"/>'s lease has run out, so the call must leave it alone.</summary>
    private bool LeaseExpired(SqsMessage message, string operation)
    {
        if (timeProvider.GetUtcNow() < message.LeaseEnds)
        {
            return false;
        }

        logger.StaleDelivery(operation, message.Id, message.Queue);
        return true;
    }

    public async ValueTask<QueueDepth> GetQueueDepthAsync(string queue, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        try
        {
            var response = await CallAsync("GetQueueAttributes", queue, create: false, (url, ct) => Client.GetQueueAttributesAsync(
                new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = DepthAttributes }, ct), cancellationToken).ConfigureAwait(false);
            var attributes = response.Value.Attributes ?? [];

            // Real SQS counts visible messages in ApproximateNumberOfMessages. The bare local-aws-sqs emulator adds the
            // in-flight ones; deploy/local/sqs-shim.js corrects that, so this reads SQS's meaning as is.
            return new QueueDepth(Count(attributes, DepthAttributes[0]), Count(attributes, DepthAttributes[1]), Count(attributes, DepthAttributes[2]));
        }
        catch (SqsQueueMissingException)
        {
            return default;
        }
    }

    public async ValueTask<IReadOnlyDictionary<string, QueueDepth>> GetQueueDepthsAsync(IReadOnlyCollection<string> queues, CancellationToken cancellationToken)
    {
        // SQS has no call that reads many queues, so the queues are read in parallel, a few at a time.
        ArgumentNullException.ThrowIfNull(queues);
        using var slots = new SemaphoreSlim(MaxParallelDepthCalls);
        var reads = queues.Distinct(StringComparer.Ordinal).Select(async queue =>
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return (queue, await GetQueueDepthAsync(queue, cancellationToken).ConfigureAwait(false));
            }
            finally
            {
                slots.Release();
            }
        });
        var depths = await Task.WhenAll(reads).ConfigureAwait(false);
        return depths.ToDictionary(d => d.queue, d => d.Item2, StringComparer.Ordinal);
    }

    public async ValueTask EnsureQueueAsync(QueueSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(spec.Name);
        await GuardAsync("CreateQueue", spec.Name, async ct =>
        {
            _ = _settings.ManageQueues ? await CreateQueueAsync(spec.Name, ct).ConfigureAwait(false) : await UrlAsync(spec.Name, create: false, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DeleteQueueAsync(string queue, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        string[] queues = _settings.DeadLetter && !IsDeadLetterQueue(queue) ? [queue, queue + DeadLetterSuffix] : [queue];
        foreach (var name in queues)
        {
            try
            {
                await CallAsync("DeleteQueue", name, create: false, (url, ct) => Client.DeleteQueueAsync(url, ct), cancellationToken).ConfigureAwait(false);
            }
            catch (SqsQueueMissingException)
            {
                // Already gone: deleting is idempotent.
            }
            finally
            {
                _urls.TryRemove(name, out _);
            }
        }
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

    private static bool IsDeadLetterQueue(string queue) => queue.EndsWith(DeadLetterSuffix, StringComparison.Ordinal);

    private static int Seconds(TimeSpan value, int min, int max) =>
        (int)Math.Clamp(Math.Ceiling(Math.Max(0, value.TotalSeconds)), min, max);

    private static long Count(Dictionary<string, string> attributes, string name) =>
        attributes.TryGetValue(name, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? Math.Max(0, n) : 0;

    private async Task SendCoreAsync(
        string queue, ReadOnlyMemory<byte> body, IReadOnlyDictionary<string, string>? headers, TimeSpan delay, int priorDeliveries, CancellationToken cancellationToken)
    {
        var delaySeconds = delay > TimeSpan.Zero ? (int)Math.Ceiling(delay.TotalSeconds) : 0;
        long? notBefore = null;
        if (delaySeconds > MaxDelaySeconds)
        {
            notBefore = timeProvider.GetUtcNow().Add(delay).ToUnixTimeMilliseconds();
            delaySeconds = MaxDelaySeconds;
        }

        var (text, encoding) = SqsCodec.EncodeBody(body.Span);
        var attributes = SqsCodec.EncodeAttributes(headers, encoding, notBefore, priorDeliveries);
        var size = SqsCodec.Size(text, attributes);
        if (size > MaxMessageBytes)
        {
            throw new ArgumentException(
                $"SQS transport '{_settings.ComponentName}': a message of {body.Length} bytes for queue '{queue}' takes {size} bytes on SQS " +
                $"({(encoding == SqsCodec.Base64Encoding ? "binary, so base64" : "text")} plus attributes); SQS takes at most {MaxMessageBytes} (256 KiB)",
                nameof(body));
        }

        await CallAsync("SendMessage", queue, create: _settings.ManageQueues, (url, ct) => Client.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = url,
            MessageBody = text,
            DelaySeconds = delaySeconds,
            MessageAttributes = attributes,
        }, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Turns received SQS messages into ours; long-delayed ones that surfaced early go back for the rest of their delay.</summary>
    private async Task<IReadOnlyList<TransportMessage>> AcceptAsync(
        string queue, string url, List<Message>? received, DateTimeOffset leaseEnds, CancellationToken cancellationToken)
    {
        if (received is not { Count: > 0 })
        {
            return [];
        }

        var messages = new List<TransportMessage>(received.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sqs in received)
        {
            if (!seen.Add(sqs.MessageId))
            {
                continue;
            }

            var attributes = SqsCodec.DecodeAttributes(sqs.MessageAttributes);
            var receiveCount = sqs.Attributes is { } system && system.TryGetValue(ReceiveCountAttribute, out var text)
                && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? Math.Max(1, n) : 1;
            var message = new SqsMessage
            {
                Id = sqs.MessageId,
                Queue = queue,
                Body = SqsCodec.DecodeBody(sqs.Body, attributes.Encoding),
                Headers = attributes.Headers,
                DeliveryCount = (int)Math.Min(int.MaxValue, (long)attributes.PriorDeliveries + receiveCount),
                Owner = this,
                QueueUrl = url,
                ReceiptHandle = sqs.ReceiptHandle,
                LeaseEnds = leaseEnds,
            };

            if (attributes.NotBeforeUnixMs is { } due
                && DateTimeOffset.FromUnixTimeMilliseconds(due) - timeProvider.GetUtcNow() is var early && early > DueSlack)
            {
                await SendCoreAsync(queue, message.Body, message.Headers, early, attributes.PriorDeliveries, cancellationToken).ConfigureAwait(false);
                await DeleteAsync(message, "deferral", cancellationToken).ConfigureAwait(false);
                logger.Deferred(message.Id, queue, early);
                continue;
            }

            messages.Add(message);
        }

        return messages;
    }

    private async Task DeleteAsync(SqsMessage message, string operation, CancellationToken cancellationToken)
    {
        var acks = _acks ?? throw new ObjectDisposedException(nameof(SqsTransport), $"SQS transport '{_settings.ComponentName}' is closed");
        bool deleted;
        try
        {
            deleted = await acks.DeleteAsync(message.QueueUrl, message.ReceiptHandle, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && SqsErrors.IsBrokerFailure(ex))
        {
            throw Failure("DeleteMessageBatch (" + operation + ")", message.Queue, ex);
        }

        if (!deleted)
        {
            logger.StaleDelivery(operation, message.Id, message.Queue);
        }
    }

    private async Task ChangeVisibilityAsync(SqsMessage message, int seconds, string operation, CancellationToken cancellationToken)
    {
        try
        {
            await Client.ChangeMessageVisibilityAsync(message.QueueUrl, message.ReceiptHandle, seconds, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonSQSException ex) when (ex is ReceiptHandleIsInvalidException or MessageNotInflightException || SqsAckBatcher.IsStaleReceipt(ex.ErrorCode)
            || (int)ex.StatusCode == 404)
        {
            logger.StaleDelivery(operation, message.Id, message.Queue);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && SqsErrors.IsBrokerFailure(ex))
        {
            throw Failure("ChangeMessageVisibility (" + operation + ")", message.Queue, ex);
        }
    }

    /// <summary>
    /// Runs <paramref name="call"/> on the queue's URL. A queue that vanished (deleted, emulator restarted) is created
    /// again and the call retried once when <paramref name="create"/>; otherwise it raises <see cref="SqsQueueMissingException"/>.
    /// </summary>
    private Task<(T Value, string Url)> CallAsync<T>(
        string operation, string queue, bool create, Func<string, CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        GuardAsync(operation, queue, async ct =>
        {
            var url = await UrlAsync(queue, create, ct).ConfigureAwait(false);
            try
            {
                return (await call(url, ct).ConfigureAwait(false), url);
            }
            catch (Exception ex) when (SqsErrors.IsQueueMissing(ex))
            {
                _urls.TryRemove(queue, out _);
                if (!create)
                {
                    throw new SqsQueueMissingException(queue, ex);
                }

                url = await CreateQueueAsync(queue, ct).ConfigureAwait(false);
                logger.QueueRecreated(queue);
                return (await call(url, ct).ConfigureAwait(false), url);
            }
        }, cancellationToken);

    /// <summary>Turns broker failures into one error naming the component, operation, queue and endpoint.</summary>
    private async Task<T> GuardAsync<T>(string operation, string queue, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (SqsQueueMissingException)
        {
            throw;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && SqsErrors.IsBrokerFailure(ex))
        {
            throw Failure(operation, queue, ex);
        }
    }

    private SqsTransportException Failure(string operation, string queue, Exception ex) =>
        new($"SQS transport '{_settings.ComponentName}': {operation} on queue '{queue}' at {_settings.Describe()} failed: {SqsErrors.Describe(ex)}", ex);

    private async Task<string> UrlAsync(string queue, bool create, CancellationToken cancellationToken)
    {
        if (_urls.TryGetValue(queue, out var cached))
        {
            return cached;
        }

        CheckQueueName(queue);
        try
        {
            var response = await WithTimeoutAsync(ct => Client.GetQueueUrlAsync(queue, ct), cancellationToken).ConfigureAwait(false);
            return _urls[queue] = LocalUrl(response.QueueUrl);
        }
        catch (Exception ex) when (SqsErrors.IsQueueMissing(ex))
        {
            return create ? await CreateQueueAsync(queue, cancellationToken).ConfigureAwait(false) : throw new SqsQueueMissingException(queue, ex);
        }
    }

    /// <summary>Creates the queue (and its DLQ with a redrive policy when dead-lettering is on); an existing queue is kept as it is.</summary>
    private async Task<string> CreateQueueAsync(string queue, CancellationToken cancellationToken)
    {
        CheckQueueName(queue);
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["VisibilityTimeout"] = Seconds(_settings.VisibilityTimeout, 0, MaxVisibilitySeconds).ToString(CultureInfo.InvariantCulture),
        };
        if (_settings.DeadLetter && !IsDeadLetterQueue(queue))
        {
            var deadLetterQueue = queue + DeadLetterSuffix;
            CheckQueueName(deadLetterQueue);
            var deadLetterUrl = await CreateOrGetAsync(deadLetterQueue, [], cancellationToken).ConfigureAwait(false);
            var arn = await WithTimeoutAsync(ct => Client.GetQueueAttributesAsync(
                new GetQueueAttributesRequest { QueueUrl = deadLetterUrl, AttributeNames = ["QueueArn"] }, ct), cancellationToken).ConfigureAwait(false);
            attributes["RedrivePolicy"] = JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["deadLetterTargetArn"] = arn.QueueARN,
                ["maxReceiveCount"] = _settings.MaxReceiveCount.ToString(CultureInfo.InvariantCulture),
            });
        }

        return await CreateOrGetAsync(queue, attributes, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> CreateOrGetAsync(string queue, Dictionary<string, string> attributes, CancellationToken cancellationToken)
    {
        string url;
        try
        {
            url = await CreateWhenAllowedAsync(queue, attributes, cancellationToken).ConfigureAwait(false);
        }
        catch (QueueNameExistsException)
        {
            // Created by an operator (or an older deployment) with other settings: use it, do not fight over them.
            logger.QueueAttributesDiffer(queue);
            url = (await WithTimeoutAsync(ct => Client.GetQueueUrlAsync(queue, ct), cancellationToken).ConfigureAwait(false)).QueueUrl;
        }

        return _urls[queue] = LocalUrl(url);
    }

    /// <summary>
    /// CreateQueue, waiting out SQS's 60 s refusal to re-create a queue deleted moments ago (an operator or a test
    /// recreating an actor): the caller's call succeeds late instead of failing; past the window plus a margin the
    /// refusal is passed on.
    /// </summary>
    private async Task<string> CreateWhenAllowedAsync(string queue, Dictionary<string, string> attributes, CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() + RecreateWindow;
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                return (await WithTimeoutAsync(ct => Client.CreateQueueAsync(new CreateQueueRequest { QueueName = queue, Attributes = attributes }, ct), cancellationToken)
                    .ConfigureAwait(false)).QueueUrl;
            }
            catch (AmazonServiceException ex) when (SqsErrors.IsQueueDeletedRecently(ex) && timeProvider.GetUtcNow() + delay < deadline)
            {
                logger.QueueDeletedRecently(queue, delay, deadline);
            }

            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            delay = delay * 2 < MaxRecreateDelay ? delay * 2 : MaxRecreateDelay;
        }
    }

    private async Task<T> WithTimeoutAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.ManagementTimeout);
        return await call(timeout.Token).ConfigureAwait(false);
    }

    /// <summary>With a custom endpoint, the URL the service returns is pointed back at that endpoint (an emulator may name itself otherwise).</summary>
    private string LocalUrl(string url)
    {
        if (_settings.Endpoint is not { } endpoint || !Uri.TryCreate(url, UriKind.Absolute, out var parsed))
        {
            return url;
        }

        return new UriBuilder(parsed) { Scheme = endpoint.Scheme, Host = endpoint.Host, Port = endpoint.Port }.Uri.ToString();
    }

    private void CheckQueueName(string queue)
    {
        if (queue.Length is 0 or > 80 || !queue.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException(
                $"SQS transport '{_settings.ComponentName}': queue name '{queue}' is not valid on SQS (1 to 80 letters, digits, '-' or '_')", nameof(queue));
        }
    }

    private SqsMessage Own(TransportMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message is SqsMessage own && ReferenceEquals(own.Owner, this)
            ? own
            : throw new ArgumentException($"message {message.Id} was not received by SQS transport '{_settings.ComponentName}'", nameof(message));
    }
}
