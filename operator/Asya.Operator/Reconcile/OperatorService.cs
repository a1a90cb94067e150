using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Asya.Components.Abstractions;
using Asya.Hosting.Health;
using Asya.Operator.Building;
using Asya.Operator.Kube;
using Asya.Operator.Observability;
using k8s;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Asya.Operator.Reconcile;

/// <summary>
/// The operator loop: watches AsyncActors and the Deployments it manages (each watch re-lists after it ends), re-queues
/// every actor each resync period, and runs <see cref="OperatorSettings.Workers"/> workers over the work queue. A
/// failing actor backs off on its own without holding up the others.
/// </summary>
internal sealed class OperatorService : BackgroundService
{
    /// <summary>
    /// Longest reconcile before <c>/readyz</c> calls its worker stuck: a reconcile is a handful of API server calls (each
    /// bounded by the client's 100 s timeout) and queue calls; a worker waiting for work is idle.
    /// </summary>
    public static readonly TimeSpan ReconcileDeadline = TimeSpan.FromMinutes(5);

    /// <summary>Waits before re-listing after a watch failed: 200 ms, 400 ms, … at most 30 s.</summary>
    private static readonly Backoff WatchBackoff = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30));

    private readonly KubeApi _api;
    private readonly ActorReconciler _reconciler;
    private readonly OperatorSettings _settings;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<OperatorService> _logger;
    private readonly OperatorMetrics _metrics;
    private readonly WorkQueue _queue;
    private readonly LoopHeartbeat[] _workers;
    private readonly ConcurrentDictionary<string, byte> _actors = new(StringComparer.Ordinal);

    public OperatorService(
        KubeApi api, ActorReconciler reconciler, OperatorSettings settings, TimeProvider timeProvider, LoopHeartbeats heartbeats,
        OperatorMetrics metrics, ILogger<OperatorService> logger)
    {
        _workers = [.. Enumerable.Range(1, Math.Max(1, settings.Workers)).Select(i => heartbeats.Add($"reconcile-worker-{i}", ReconcileDeadline))];
        _api = api;
        _reconciler = reconciler;
        _settings = settings;
        _timeProvider = timeProvider;
        _logger = logger;
        _metrics = metrics;
        _queue = new WorkQueue(timeProvider, settings.BaseRetryDelay, settings.MaxRetryDelay);
    }

    public override void Dispose()
    {
        _queue.Dispose();
        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _logger.Started(_settings.WatchNamespace ?? "all namespaces", _settings.Workers, _settings.ResyncPeriod);
        var loops = new List<Task>
        {
            WatchLoopAsync(ResourceKind.AsyncActors, null, OnActor, stoppingToken),
            WatchLoopAsync(ResourceKind.Deployments, $"{Labels.ManagedBy}={OperatorSettings.FieldManager}", (_, o) => Enqueue(KeyOfOwned(o)), stoppingToken),
            ComponentWatchAsync(stoppingToken),
            ResyncLoopAsync(stoppingToken),
        };
        loops.AddRange(_workers.Select(heartbeat => WorkerAsync(heartbeat, stoppingToken)));

        return Task.WhenAll(loops);
    }

    private async Task WorkerAsync(LoopHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            string key;
            heartbeat.Idle();
            try
            {
                key = await _queue.TakeAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
            {
                return;
            }

            heartbeat.Beat();

            try
            {
                var slash = key.IndexOf('/', StringComparison.Ordinal);
                var result = await _reconciler.ReconcileAsync(key[..slash], key[(slash + 1)..], cancellationToken).ConfigureAwait(false);
                _metrics.Reconciled(result == ReconcileResult.Done ? "done" : "retry");
                if (result == ReconcileResult.Retry)
                {
                    _queue.AddRateLimited(key);
                }
                else
                {
                    _queue.Forget(key);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _metrics.Reconciled("error");
                var (attempt, delay) = _queue.AddRateLimited(key);
                _logger.ReconcileFailed(key, attempt, delay, ex.Message, ex);
            }
            finally
            {
                _queue.Done(key);
            }
        }
    }

    // A component change re-renders every actor of its namespace: the components Secret and pod template hash follow.
    private async Task ComponentWatchAsync(CancellationToken cancellationToken)
    {
        bool dapr;
        try
        {
            dapr = await _api.ServesAsync(ResourceKind.DaprComponents, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception ex)
        {
            // Without discovery the labelled ConfigMaps are watched; the resync still covers Dapr Components.
            _logger.WatchFailed(ResourceKind.DaprComponents.ToString(), ex.Message, _settings.ResyncPeriod);
            dapr = false;
        }

        await WatchLoopAsync(
            dapr ? ResourceKind.DaprComponents : ResourceKind.ConfigMaps,
            dapr ? null : ComponentSource.ConfigMapSelector,
            (_, o) => EnqueueNamespace(o["metadata"]?["namespace"]?.GetValue<string>()),
            cancellationToken).ConfigureAwait(false);
    }

    private void OnActor(WatchEventType type, JsonObject obj)
    {
        if (KeyOfActor(obj) is not { } key)
        {
            return;
        }

        if (type == WatchEventType.Deleted)
        {
            _actors.TryRemove(key, out _);
        }
        else
        {
            _actors[key] = 0;
        }

        _queue.Add(key);
    }

    private void EnqueueNamespace(string? ns)
    {
        if (ns is null)
        {
            return;
        }

        foreach (var key in _actors.Keys.Where(k => k.StartsWith(ns + "/", StringComparison.Ordinal)))
        {
            _queue.Add(key);
        }
    }

    private async Task WatchLoopAsync(ResourceKind kind, string? labelSelector, Action<WatchEventType, JsonObject> onEvent, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var (items, resourceVersion) = await _api.ListAllAsync(kind, _settings.WatchNamespace, labelSelector, cancellationToken).ConfigureAwait(false);
                foreach (var item in items)
                {
                    onEvent(WatchEventType.Added, item);
                }

                await foreach (var (type, obj) in _api.WatchAsync(kind, _settings.WatchNamespace, labelSelector, resourceVersion, cancellationToken).ConfigureAwait(false))
                {
                    failures = 0;
                    onEvent(type, obj);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                var delay = WatchBackoff.After(failures);
                _logger.WatchFailed(kind.ToString(), ex.Message, delay);
                try
                {
                    await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ResyncLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_settings.ResyncPeriod, _timeProvider, cancellationToken).ConfigureAwait(false);
                var (items, _) = await _api.ListAllAsync(ResourceKind.AsyncActors, _settings.WatchNamespace, null, cancellationToken).ConfigureAwait(false);
                foreach (var item in items)
                {
                    Enqueue(KeyOfActor(item));
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.WatchFailed("resync", ex.Message, _settings.ResyncPeriod);
            }
        }
    }

    private void Enqueue(string? key)
    {
        if (key is not null)
        {
            _queue.Add(key);
        }
    }

    private static string? KeyOfActor(JsonObject obj) =>
        obj["metadata"]?["namespace"]?.GetValue<string>() is { } ns && obj["metadata"]?["name"]?.GetValue<string>() is { } name ? $"{ns}/{name}" : null;

    private static string? KeyOfOwned(JsonObject obj) =>
        obj["metadata"]?["namespace"]?.GetValue<string>() is { } ns && obj["metadata"]?["labels"]?[Labels.AsyncActor]?.GetValue<string>() is { } owner
            ? $"{ns}/{owner}"
            : null;
}
