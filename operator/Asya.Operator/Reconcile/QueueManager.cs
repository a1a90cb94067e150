using Asya.Components;
using Asya.Components.Abstractions;
using Asya.Operator.Building;

namespace Asya.Operator.Reconcile;

/// <summary>
/// Queue admin through the actor's own transport component: the rendered manifests are loaded in memory with the same
/// loader and factories the sidecar uses (<c>AddBuiltInComponents</c>), one loaded set per distinct manifest content.
/// At most <c>capacity</c> sets stay open (each may hold a broker connection); the least recently used one beyond that
/// is disposed as soon as no call is using it.
/// </summary>
internal sealed class QueueManager(ComponentLoader loader, int capacity = QueueManager.DefaultCapacity) : IAsyncDisposable
{
    /// <summary>Open manifest sets kept by default: far more than the distinct transports of a cluster.</summary>
    public const int DefaultCapacity = 16;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _recent = new();

    /// <summary>Creates the actor's queue when the transport can (<see cref="IQueueAdmin"/>); false when it cannot.</summary>
    public Task<bool> EnsureAsync(string queue, RenderedComponents components, CancellationToken cancellationToken) =>
        UseAsync(components, async transport =>
        {
            if (transport is not IQueueAdmin admin)
            {
                return false;
            }

            await admin.EnsureQueueAsync(new QueueSpec(queue), cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public Task<bool> DeleteAsync(string queue, RenderedComponents components, CancellationToken cancellationToken) =>
        UseAsync(components, async transport =>
        {
            if (transport is not IQueueAdmin admin)
            {
                return false;
            }

            await admin.DeleteQueueAsync(queue, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>The queue's depth, or null when the transport cannot count.</summary>
    public Task<QueueDepth?> DepthAsync(string queue, RenderedComponents components, CancellationToken cancellationToken) =>
        UseAsync<QueueDepth?>(components, async transport =>
            transport is IQueueDepthSource depth ? await depth.GetQueueDepthAsync(queue, cancellationToken).ConfigureAwait(false) : null,
            cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var entry in _entries.Values)
            {
                await entry.Components.DisposeAsync().ConfigureAwait(false);
            }

            _entries.Clear();
            _recent.Clear();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<T> UseAsync<T>(RenderedComponents components, Func<ITransport, Task<T>> use, CancellationToken cancellationToken)
    {
        var entry = await AcquireAsync(components, cancellationToken).ConfigureAwait(false);
        try
        {
            return await use(entry.Transport).ConfigureAwait(false);
        }
        finally
        {
            await ReleaseAsync(entry).ConfigureAwait(false);
        }
    }

    private async Task<Entry> AcquireAsync(RenderedComponents components, CancellationToken cancellationToken)
    {
        var key = components.Hash;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                _recent.Remove(entry.Node);
                _recent.AddLast(entry.Node);
            }
            else
            {
                entry = await OpenAsync(key, components, cancellationToken).ConfigureAwait(false);
                _entries[key] = entry;
                _recent.AddLast(entry.Node);
                await EvictAsync().ConfigureAwait(false);
            }

            entry.Users++;
            return entry;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ReleaseAsync(Entry entry)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            entry.Users--;
            if (entry.Evicted && entry.Users == 0)
            {
                await entry.Components.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Drops the least recently used sets beyond the capacity; one in use is disposed by its last user.</summary>
    private async Task EvictAsync()
    {
        while (_entries.Count > Math.Max(1, capacity) && _recent.First is { } oldest)
        {
            var entry = _entries[oldest.Value];
            _recent.RemoveFirst();
            _entries.Remove(oldest.Value);
            entry.Evicted = true;
            if (entry.Users == 0)
            {
                await entry.Components.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<Entry> OpenAsync(string key, RenderedComponents components, CancellationToken cancellationToken)
    {
        var manifests = ManifestReader.Parse(components.Files);
        foreach (var document in manifests.Documents)
        {
            // Scopes name the actors' app ids; the operator is none of them but administers their queues.
            document.Body.Remove("scopes");
        }

        var loaded = await loader.LoadAsync(manifests, cancellationToken).ConfigureAwait(false);
        try
        {
            var spec = loaded.Find(components.Transport)
                ?? throw new ComponentConfigurationException($"component '{components.Transport}' was not loaded (check its scopes)");
            var transport = await loaded.CreateAsync<ITransport>(spec, cancellationToken).ConfigureAwait(false);
            return new Entry(new LinkedListNode<string>(key), loaded, transport);
        }
        catch
        {
            await loaded.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>One open manifest set: its components own the transport.</summary>
    private sealed class Entry(LinkedListNode<string> node, LoadedComponents components, ITransport transport)
    {
        public LinkedListNode<string> Node { get; } = node;

        public LoadedComponents Components { get; } = components;

        public ITransport Transport { get; } = transport;

        public int Users { get; set; }

        public bool Evicted { get; set; }
    }
}
