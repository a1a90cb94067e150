using Asya.Components;
using Microsoft.Extensions.Logging;

namespace Asya.Mesh.Client;

/// <summary>Which mesh to open: its namespace, its manifests, and the data directory of its embedded SQLite default.</summary>
public sealed class MeshClientOptions
{
    /// <summary>The mesh's namespace; Component documents of another <c>metadata.namespace</c> are skipped.</summary>
    public string? Namespace { get; init; }

    /// <summary>Folders or files of Dapr manifests; none means the embedded SQLite default.</summary>
    public IReadOnlyList<string> ResourcesPaths { get; init; } = [];

    /// <summary>The data directory the sidecars use (<c>--data-dir</c>); created when missing.</summary>
    public string DataDirectory { get; init; } = EmbeddedComponents.DefaultDataDirectory;

    /// <summary>Use the embedded default even though the manifests' transport or result store is not loaded for x-sink.</summary>
    public bool AllowEmbeddedDefault { get; init; }

    /// <summary>
    /// Actor → transport component, for actors whose <c>spec.transport</c> names one: an envelope for such an actor's
    /// queue goes through that component, as that actor's sidecar reads it; every other queue through the default.
    /// </summary>
    public IReadOnlyDictionary<string, string> ActorTransports { get; init; } = new Dictionary<string, string>();

    /// <summary>Where the components' own log lines go; none: they are dropped.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }
}
