using Asya.Components.Abstractions;

namespace Asya.Components;

/// <summary>
/// The components one app runs on, chosen the one way the sidecar, the scaler and the <c>asya</c> command share: the
/// component named by the app, else the only one of its category, else the embedded SQLite default of the data
/// directory (<see cref="ComponentSelection"/> states the rule and its errors). Every component, the embedded ones
/// included, is created once through <see cref="LoadedComponents"/> and disposed with this object.
/// </summary>
public sealed class AppComponents : IAsyncDisposable
{
    private readonly AppComponentsOptions _options;

    /// <summary>Takes ownership of <paramref name="loaded"/>.</summary>
    public AppComponents(LoadedComponents loaded, AppComponentsOptions options)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(options);
        Loaded = loaded;
        _options = options;
        EmbeddedTransport = EmbeddedComponents.Transport(options.DataDirectory);
        EmbeddedResultStore = EmbeddedComponents.ResultStore(options.DataDirectory);
    }

    /// <summary>What the manifests of the resources path hold for this app (nothing when there is no resources path).</summary>
    public LoadedComponents Loaded { get; }

    /// <summary>The embedded <c>pubsub.sqlite</c> transport of the data directory.</summary>
    public ComponentSpec EmbeddedTransport { get; }

    /// <summary>The embedded <c>state.sqlite</c> result store of the data directory.</summary>
    public ComponentSpec EmbeddedResultStore { get; }

    /// <summary>Every transport component loaded for this app, in document order.</summary>
    public IReadOnlyList<ComponentSpec> Transports => Loaded.OfCategory(ComponentTypes.Transport);

    /// <summary>Transport components of the manifests that are not loaded for this app, with the reason.</summary>
    public IReadOnlyList<ComponentOutcome> SkippedTransports => Loaded.SkippedOfCategory(ComponentTypes.Transport);

    /// <summary>Loads the manifests of <see cref="AppComponentsOptions.ResourcesPaths"/> (any error throws).</summary>
    public static async Task<AppComponents> LoadAsync(ComponentLoader loader, AppComponentsOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentNullException.ThrowIfNull(options);
        var loaded = await loader.LoadAsync(options.ResourcesPaths, cancellationToken);
        return new AppComponents(loaded, options);
    }

    /// <summary>The transport: <paramref name="name"/>, else the only one, else <see cref="EmbeddedTransport"/>.</summary>
    /// <param name="name">The component the app asks for, if any.</param>
    /// <param name="nameOption">The option that names it, for messages.</param>
    public ComponentSpec ChooseTransport(string? name, string nameOption) =>
        Choose(ComponentTypes.Transport, name, nameOption) ?? EmbeddedTransport;

    /// <summary>The result store: <paramref name="name"/>, else the only one, else <see cref="EmbeddedResultStore"/>.</summary>
    public ComponentSpec ChooseResultStore(string? name, string nameOption) =>
        Choose(ComponentTypes.State, name, nameOption) ?? EmbeddedResultStore;

    /// <summary>True for <see cref="EmbeddedTransport"/> and <see cref="EmbeddedResultStore"/>.</summary>
    public bool IsEmbedded(ComponentSpec spec) => ReferenceEquals(spec, EmbeddedTransport) || ReferenceEquals(spec, EmbeddedResultStore);

    /// <summary>Creates and initialises the component of <paramref name="spec"/> once; it is disposed with this object.</summary>
    public Task<T> CreateAsync<T>(ComponentSpec spec, CancellationToken cancellationToken)
        where T : class, IComponent =>
        Loaded.CreateAsync<T>(spec, cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Loaded.DisposeAsync();

    private ComponentSpec? Choose(string category, string? name, string nameOption) =>
        ComponentSelection.Choose(Loaded, category, name, Loaded.AppId, nameOption, _options.AllowEmbeddedDefault);
}
