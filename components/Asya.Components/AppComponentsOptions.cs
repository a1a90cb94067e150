namespace Asya.Components;

/// <summary>Where an app's components come from: the resources path, else the embedded SQLite database of a data directory.</summary>
public sealed class AppComponentsOptions
{
    /// <summary>Folders or files of Dapr manifests; none means every component is the embedded default.</summary>
    public IReadOnlyList<string> ResourcesPaths { get; init; } = [];

    /// <summary>The data directory of the embedded SQLite database.</summary>
    public string DataDirectory { get; init; } = EmbeddedComponents.DefaultDataDirectory;

    /// <summary>
    /// Use the embedded default even though the manifests hold a component of the role that is not loaded for this app
    /// (<c>--allow-embedded-default</c>); otherwise that is a configuration error.
    /// </summary>
    public bool AllowEmbeddedDefault { get; init; }
}
