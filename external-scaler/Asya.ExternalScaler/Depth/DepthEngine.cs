using Asya.Components;
using Asya.Components.Abstractions;
using Asya.ExternalScaler.Configuration;
using Asya.ExternalScaler.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Asya.ExternalScaler.Depth;

/// <summary>
/// Loads the transport components the way the sidecar does (same loader, same factories, same embedded SQLite default)
/// and runs one <see cref="DepthPoller"/> per transport component. Every RPC reads depths through <see cref="ReadAsync"/>.
/// </summary>
internal sealed class DepthEngine(
    ScalerOptions options,
    ComponentLoader loader,
    ComponentRegistry registry,
    IServiceProvider services,
    TimeProvider timeProvider,
    ScalerMetrics metrics,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<DepthEngine>();
    private readonly List<DepthPoller> _started = [];
    private Dictionary<string, DepthPoller> _pollers = new(StringComparer.Ordinal);
    private LoadedComponents? _loaded;
    private volatile bool _ready;

    public IReadOnlyDictionary<string, DepthPoller> Pollers => _pollers;

    /// <summary>The component ScaledObjects get without a <c>component</c> key: the only transport, else null.</summary>
    public string? DefaultComponent { get; private set; }

    public bool Ready => _ready;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var specs = new List<(ComponentSpec Spec, bool Loaded)>();
        if (options.ResourcesPaths.Count > 0)
        {
            _loaded = await loader.LoadAsync(options.ResourcesPaths, cancellationToken);
            specs.AddRange(_loaded.Specs.Where(IsTransport).Select(s => (s, true)));

            // Watching the embedded database while the actors run on a skipped broker would report 0 forever.
            if (specs.Count == 0 && _loaded.SkippedOfCategory("pubsub.") is { Count: > 0 } skipped)
            {
                throw new ComponentConfigurationException(
                    $"no transport component is loaded for the scaler (app id '{options.AppId}'), so it would watch the embedded "
                    + $"SQLite default instead: {string.Join("; ", skipped.Select(s => s.Describe()))}. Add '{options.AppId}' to "
                    + "the component's scopes or remove them");
            }
        }

        if (specs.Count == 0)
        {
            specs.Add((EmbeddedComponents.Transport(options.DataDirectory), false));
        }

        var pollers = new Dictionary<string, DepthPoller>(StringComparer.Ordinal);
        foreach (var (spec, fromManifest) in specs)
        {
            var settings = PollerSettings.For(spec.Type, options.PollInterval, options.StaleAfter, options.ForgetAfter);
            Func<CancellationToken, Task<ITransport>> create = fromManifest
                ? ct => _loaded!.CreateAsync<ITransport>(spec, ct)
                : ct => LoadedComponents.CreateAsync<ITransport>(registry, services, spec, ct);
            pollers[spec.Name] = new DepthPoller(
                spec.Name, spec.Type, create, settings, timeProvider, metrics, loggerFactory.CreateLogger<DepthPoller>());
        }

        _pollers = pollers;
        DefaultComponent = pollers.Count == 1 ? pollers.Keys.First() : null;
        metrics.Observe(this);
        foreach (var poller in pollers.Values)
        {
            await poller.StartAsync(cancellationToken);
            _started.Add(poller);
        }

        _logger.EngineStarted(pollers.Count, string.Join(", ", pollers.Values.Select(p => $"{p.Component} ({p.ComponentType})")));
        _ready = true;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _ready = false;
        foreach (var poller in _started)
        {
            await poller.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var poller in _started)
        {
            poller.Dispose();
        }

        if (_loaded is not null)
        {
            await _loaded.DisposeAsync();
        }
    }

    // Bindings such as bindings.aws.sqs are transports too; state stores and secret stores are not.
    private static bool IsTransport(ComponentSpec spec) =>
        spec.Type.StartsWith("pubsub.", StringComparison.OrdinalIgnoreCase) || spec.Type.StartsWith("bindings.", StringComparison.OrdinalIgnoreCase);
}
