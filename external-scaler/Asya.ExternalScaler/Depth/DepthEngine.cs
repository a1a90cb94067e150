using Asya.Components;
using Asya.Components.Abstractions;
using Asya.ExternalScaler.Configuration;
using Asya.ExternalScaler.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Asya.ExternalScaler.Depth;

/// <summary>
/// Loads the transport components the way the sidecar does (same loader and factories, the same <see cref="AppComponents"/>
/// with its embedded SQLite default; what is a transport is <see cref="ComponentTypes.IsTransport"/>) and runs one <see cref="DepthPoller"/> per transport component. Every RPC reads depths through <see cref="ReadAsync"/>.
/// </summary>
internal sealed class DepthEngine(
    ScalerOptions options,
    ComponentLoader loader,
    TimeProvider timeProvider,
    ScalerMetrics metrics,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<DepthEngine>();
    private readonly List<DepthPoller> _started = [];
    private Dictionary<string, DepthPoller> _pollers = new(StringComparer.Ordinal);
    private AppComponents? _components;
    private volatile bool _ready;

    public IReadOnlyDictionary<string, DepthPoller> Pollers => _pollers;

    /// <summary>The component ScaledObjects get without a <c>component</c> key: the only transport, else null.</summary>
    public string? DefaultComponent { get; private set; }

    public bool Ready => _ready;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var components = await AppComponents.LoadAsync(
            loader, new AppComponentsOptions { ResourcesPaths = options.ResourcesPaths, DataDirectory = options.DataDirectory }, cancellationToken);
        _components = components;

        // Every transport of the manifests is watched, not one chosen: actors of one namespace may use several.
        IReadOnlyList<ComponentSpec> specs = components.Transports;

        // Watching the embedded database while the actors run on a skipped broker would report 0 forever.
        if (specs.Count == 0 && components.SkippedTransports is { Count: > 0 } skipped)
        {
            throw new ComponentConfigurationException(
                $"no transport component is loaded for the scaler (app id '{options.AppId}'), so it would watch the embedded "
                + $"SQLite default instead: {string.Join("; ", skipped.Select(s => s.Describe()))}. Add '{options.AppId}' to "
                + "the component's scopes or remove them");
        }

        if (specs.Count == 0)
        {
            specs = [components.EmbeddedTransport];
        }

        var pollers = new Dictionary<string, DepthPoller>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            var settings = PollerSettings.For(spec.Type, options.PollInterval, options.StaleAfter, options.ForgetAfter);
            pollers[spec.Name] = new DepthPoller(
                spec.Name,
                spec.Type,
                ct => components.CreateAsync<ITransport>(spec, ct),
                settings,
                timeProvider,
                metrics,
                loggerFactory.CreateLogger<DepthPoller>());
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

        if (_components is not null)
        {
            await _components.DisposeAsync();
        }
    }
}
