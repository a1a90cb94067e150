using System.Globalization;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.SQS.Model;
using Asya.Components.Abstractions;

namespace Asya.Components.Aws;

// Queue administration: URLs looked up and cached, queues (and dead-letter queues) created, deleted and counted.
internal sealed partial class SqsTransport
{
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

    private static bool IsDeadLetterQueue(string queue) => queue.EndsWith(DeadLetterSuffix, StringComparison.Ordinal);

    private static long Count(Dictionary<string, string> attributes, string name) =>
        attributes.TryGetValue(name, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? Math.Max(0, n) : 0;

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
            attributes["RedrivePolicy"] = StringMapJson.Serialize(new Dictionary<string, string>
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
        var retries = new Backoff(TimeSpan.FromSeconds(1), MaxRecreateDelay);
        var delay = retries.First;
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
            delay = retries.Next(delay);
        }
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
}
