using System.Globalization;
using System.Threading.Channels;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace Asya.Components.Aws;

/// <summary>
/// Deletes acked messages with DeleteMessageBatch. Acks queue up while earlier batches are on the wire and leave in
/// batches of up to ten per queue, so a busy consumer makes one call per ten acks, while a lone ack leaves at once
/// (a linger timer would add its delay to every message of a sequential sidecar). Each ack awaits its own entry's outcome.
/// </summary>
internal sealed class SqsAckBatcher : IAsyncDisposable
{
    private const int BatchSize = 10;
    private const int MaxTakenPerRound = 200;
    private const int MaxConcurrentFlushes = 4;

    private readonly Channel<PendingDelete> _pending = Channel.CreateUnbounded<PendingDelete>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _flushSlots = new(MaxConcurrentFlushes, MaxConcurrentFlushes);
    private readonly IAmazonSQS _client;
    private readonly Task _loop;

    public SqsAckBatcher(IAmazonSQS client)
    {
        _client = client;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Deletes the message; <c>false</c> when SQS no longer accepts the receipt (lease expired, already deleted).</summary>
    public Task<bool> DeleteAsync(string queueUrl, string receiptHandle, CancellationToken cancellationToken)
    {
        var pending = new PendingDelete(queueUrl, receiptHandle);
        if (!_pending.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(SqsAckBatcher), "the SQS transport is closed");
        }

        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
#pragma warning disable VSTHRD003 // the loop is this object's own, started in its constructor
        await _loop.ConfigureAwait(false);
#pragma warning restore VSTHRD003
        for (var i = 0; i < MaxConcurrentFlushes; i++)
        {
            await _flushSlots.WaitAsync().ConfigureAwait(false);
        }

        _flushSlots.Dispose();
    }

    private async Task RunAsync()
    {
        var reader = _pending.Reader;
        var taken = new List<PendingDelete>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            taken.Clear();
            while (taken.Count < MaxTakenPerRound && reader.TryRead(out var next))
            {
                taken.Add(next);
            }

            foreach (var queue in taken.GroupBy(p => p.QueueUrl, StringComparer.Ordinal))
            {
                foreach (var chunk in queue.Chunk(BatchSize))
                {
                    await _flushSlots.WaitAsync().ConfigureAwait(false);
                    _ = FlushAsync(queue.Key, chunk);
                }
            }
        }
    }

    private async Task FlushAsync(string queueUrl, PendingDelete[] batch)
    {
        try
        {
            var request = new DeleteMessageBatchRequest
            {
                QueueUrl = queueUrl,
                Entries = [.. batch.Select((p, i) => new DeleteMessageBatchRequestEntry(i.ToString(CultureInfo.InvariantCulture), p.ReceiptHandle))],
            };
            var response = await _client.DeleteMessageBatchAsync(request).ConfigureAwait(false);
            foreach (var ok in response.Successful ?? [])
            {
                batch[int.Parse(ok.Id, CultureInfo.InvariantCulture)].Done.TrySetResult(true);
            }

            foreach (var failed in response.Failed ?? [])
            {
                var pending = batch[int.Parse(failed.Id, CultureInfo.InvariantCulture)];
                if (IsStaleReceipt(failed.Code))
                {
                    pending.Done.TrySetResult(false);
                }
                else
                {
                    pending.Done.TrySetException(new AmazonSQSException($"DeleteMessageBatch entry failed: {failed.Code}: {failed.Message}"));
                }
            }

            foreach (var pending in batch)
            {
                pending.Done.TrySetException(new AmazonSQSException("DeleteMessageBatch answered without this entry"));
            }
        }
#pragma warning disable CA1031 // every failure goes to the acks waiting on this batch
        catch (Exception ex)
#pragma warning restore CA1031
        {
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(ex);
            }
        }
        finally
        {
            _flushSlots.Release();
        }
    }

    internal static bool IsStaleReceipt(string? code) =>
        code is "ReceiptHandleIsInvalid" or "AWS.SimpleQueueService.ReceiptHandleIsInvalid" or "InvalidParameterValue";

    private sealed record PendingDelete(string QueueUrl, string ReceiptHandle)
    {
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
