using Asya.Components.Abstractions;
using Microsoft.Extensions.Logging;

namespace Asya.Components;

/// <summary>
/// The components a <see cref="ComponentLoader"/> found for this app, and the other documents of the same folders.
/// Components are created on demand by <see cref="CreateAsync{T}(ComponentSpec, CancellationToken)"/>, once per spec,
/// and disposed with this object (last created first).
/// </summary>
public sealed class LoadedComponents : IAsyncDisposable
{
    private readonly ComponentRegistry _registry;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<ComponentSpec, TimeSpan> _initTimeouts = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<ComponentSpec, IComponent> _instances = new(ReferenceEqualityComparer.Instance);
    private readonly List<(string Name, IComponent Component)> _created = [];
    private bool _disposed;

    internal LoadedComponents(
        ComponentRegistry registry, IServiceProvider services, ILogger logger, string appId, IReadOnlyList<ManifestDocument> otherDocuments)
    {
        AppId = appId;
        _registry = registry;
        _services = services;
        _logger = logger;
        OtherDocuments = otherDocuments;
    }

    /// <summary>The app (actor) these components were loaded for; empty when scopes were not applied.</summary>
    public string AppId { get; }

    /// <summary>Components for this app, in document order.</summary>
    public IReadOnlyList<ComponentSpec> Specs { get; internal set; } = [];

    /// <summary>What became of every Component document: loaded, skipped (why) or error, with warnings.</summary>
    public ManifestReport Report { get; internal set; } = ManifestReport.Empty;

    /// <summary>Components of a category that exist in the manifests but were not loaded for this app, with the reason.</summary>
    public IReadOnlyList<ComponentOutcome> SkippedOfCategory(string prefix) =>
        [.. Report.Components.Where(c => c.Status != ComponentStatus.Loaded && c.IsCategory(prefix))];

    /// <summary>Documents of other kinds (Resiliency, Subscription, AsyncActor…) for their own loaders.</summary>
    public IReadOnlyList<ManifestDocument> OtherDocuments { get; }

    /// <summary>The component named <paramref name="name"/> (names are case-sensitive, as in Dapr).</summary>
    public ComponentSpec? Find(string name) => Specs.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));

    /// <summary>
    /// Components of a category, e.g. <c>pubsub.</c> (every transport, <c>bindings.aws.sqs</c> included, see
    /// <see cref="ComponentTypes.CategoryOf"/>) or <c>state.</c>.
    /// </summary>
    public IReadOnlyList<ComponentSpec> OfCategory(string prefix) =>
        [.. Specs.Where(s => string.Equals(ComponentTypes.CategoryOf(s.Type), prefix, StringComparison.OrdinalIgnoreCase))];

    /// <summary>
    /// Creates, checks and initialises the component of <paramref name="spec"/>, or returns the one already created for it;
    /// the spec may also be built in code (the embedded default): it is created once and owned here all the same.
    /// A component of another role (e.g. a state store asked for as a transport) is an error naming the component.
    /// </summary>
    public async Task<T> CreateAsync<T>(ComponentSpec spec, CancellationToken cancellationToken)
        where T : class, IComponent
    {
        ArgumentNullException.ThrowIfNull(spec);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_instances.TryGetValue(spec, out var existing))
            {
                return existing as T ?? throw new ComponentConfigurationException(
                    $"{spec.Describe()} has type {spec.Type}, which is not {ComponentActivator.RoleName(typeof(T))}");
            }

            TimeSpan? initTimeout = _initTimeouts.TryGetValue(spec, out var timeout) ? timeout : null;
            var component = await ComponentActivator.CreateAsync<T>(_registry, _services, spec, initTimeout, cancellationToken);
            _instances[spec] = component;
            _created.Add((spec.Name, component));
            return component;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Creates and initialises a component from a spec built in code; the caller owns (disposes) it.</summary>
    public static Task<T> CreateAsync<T>(ComponentRegistry registry, IServiceProvider services, ComponentSpec spec, CancellationToken cancellationToken)
        where T : class, IComponent =>
        ComponentActivator.CreateAsync<T>(registry, services, spec, null, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            for (var i = _created.Count - 1; i >= 0; i--)
            {
                try
                {
                    await _created[i].Component.DisposeAsync();
                }
#pragma warning disable CA1031 // one failing component must not keep the others open
                catch (Exception e)
#pragma warning restore CA1031
                {
                    _logger.DisposeFailed(e, _created[i].Name);
                }
            }

            _created.Clear();
            _instances.Clear();
        }
        finally
        {
            _gate.Release();
        }
    }

    internal void SetInitTimeout(ComponentSpec spec, TimeSpan timeout) => _initTimeouts[spec] = timeout;
}
