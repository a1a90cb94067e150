
namespace Asya.Components.Aws;

// Every SQS call goes through here: the queue URL, a vanished queue re-created, a timeout, and one error for a failed broker.
internal sealed partial class SqsTransport
{
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

    /// <summary>
    /// Turns broker failures into one error naming the component, operation, queue and endpoint; every call that can
    /// meet one goes through here, so the test for one (<see cref="SqsErrors.IsConnectionFault"/>) stands in one place.
    /// </summary>
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
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && SqsErrors.IsConnectionFault(ex))
        {
            throw Failure(operation, queue, ex);
        }
    }

    private SqsTransportException Failure(string operation, string queue, Exception ex) =>
        new($"SQS transport '{_settings.ComponentName}': {operation} on queue '{queue}' at {_settings.Describe()} failed: {SqsErrors.Describe(ex)}", ex);

    private async Task<T> WithTimeoutAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.ManagementTimeout);
        return await call(timeout.Token).ConfigureAwait(false);
    }
}
