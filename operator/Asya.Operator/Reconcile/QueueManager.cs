using System.Text.Json.Nodes;
using Asya.Components;
using Asya.Components.Abstractions;
using Asya.Operator.Building;

namespace Asya.Operator.Reconcile;

/// <summary>
/// Queue admin through the actor's own transport component: the rendered manifests are loaded with the same loader
/// and factories the sidecar uses (<c>AddBuiltInComponents</c>), one loaded set per distinct manifest content.
/// </summary>
internal sealed class QueueManager(ComponentLoader loader) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Loaded> _loaded = new(StringComparer.Ordinal);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "asya-operator-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Creates the actor's queue when the transport can (<see cref="IQueueAdmin"/>); false when it cannot.</summary>
    public async Task<bool> EnsureAsync(string queue, RenderedComponents components, CancellationToken cancellationToken)
    {
        var transport = await TransportAsync(components, cancellationToken).ConfigureAwait(false);
        if (transport is not IQueueAdmin admin)
        {
            return false;
        }

        await admin.EnsureQueueAsync(new QueueSpec(queue), cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<bool> DeleteAsync(string queue, RenderedComponents components, CancellationToken cancellationToken)
    {
        var transport = await TransportAsync(components, cancellationToken).ConfigureAwait(false);
        if (transport is not IQueueAdmin admin)
        {
            return false;
        }

        await admin.DeleteQueueAsync(queue, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The queue's depth, or null when the transport cannot count.</summary>
    public async Task<QueueDepth?> DepthAsync(string queue, RenderedComponents components, CancellationToken cancellationToken)
    {
        var transport = await TransportAsync(components, cancellationToken).ConfigureAwait(false);
        return transport is IQueueDepthSource depth ? await depth.GetQueueDepthAsync(queue, cancellationToken).ConfigureAwait(false) : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var loaded in _loaded.Values)
            {
                await loaded.Components.DisposeAsync().ConfigureAwait(false);
            }

            _loaded.Clear();
            if (Directory.Exists(_root))
            {
                Directory.Delete(_root, recursive: true);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ITransport> TransportAsync(RenderedComponents components, CancellationToken cancellationToken)
    {
        var key = components.Hash;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_loaded.TryGetValue(key, out var loaded))
            {
                // The loader reads folders; each distinct manifest set gets its own.
                var folder = Path.Combine(_root, key);
                Directory.CreateDirectory(folder);
                foreach (var (file, text) in components.Files)
                {
                    // Scopes name the actors' app ids; the operator is none of them but administers their queues.
                    var document = JsonNode.Parse(text)!.AsObject();
                    document.Remove("scopes");
                    await File.WriteAllTextAsync(Path.Combine(folder, file), document.ToJsonString(), cancellationToken).ConfigureAwait(false);
                }

                var set = await loader.LoadAsync([folder], cancellationToken).ConfigureAwait(false);
                try
                {
                    var spec = set.Find(components.Transport)
                        ?? throw new ComponentConfigurationException($"component '{components.Transport}' was not loaded (check its scopes)");
                    var transport = await set.CreateAsync<ITransport>(spec, cancellationToken).ConfigureAwait(false);
                    loaded = new Loaded(set, transport);
                }
                catch
                {
                    await set.DisposeAsync().ConfigureAwait(false);
                    throw;
                }

                _loaded[key] = loaded;
            }

            return loaded.Transport;
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed record Loaded(LoadedComponents Components, ITransport Transport);
}
