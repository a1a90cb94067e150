namespace Asya.Cli.Folder;

/// <summary>Everything <c>asya up</c> needs from a folder: actors in manifest order, the default route, components.</summary>
/// <param name="Root">Absolute path of the folder.</param>
/// <param name="Namespace">Mesh namespace (<c>asya.yaml</c> <c>namespace</c>, default <c>default</c>).</param>
/// <param name="Actors">User actors: manifests first (files by name, documents in order), then plain handler files.</param>
/// <param name="DefaultRoute"><c>asya.yaml</c> <c>route</c>, else every actor in order.</param>
/// <param name="ResourcesPaths">Folders holding Dapr <c>Component</c> manifests; empty → embedded SQLite.</param>
internal sealed record MeshFolder(
    string Root,
    string Namespace,
    IReadOnlyList<ActorDefinition> Actors,
    IReadOnlyList<string> DefaultRoute,
    IReadOnlyList<string> ResourcesPaths)
{
    /// <summary>Name of the folder holding local state (queues, results) under <see cref="Root"/>.</summary>
    public const string DataFolderName = ".asya";

    /// <summary>Where the embedded SQLite file and other local state live.</summary>
    public string DataDir => Path.Combine(Root, DataFolderName);

    /// <summary>The user opted in to the embedded default even where the manifests' transport is not loaded for an actor.</summary>
    public bool AllowEmbeddedDefault { get; init; }

    /// <summary>Things worth telling the user that are not errors (e.g. a .py file that is not an actor).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>What clients may call through the gateway (<c>flows.yaml</c> or <c>flows:</c> in <c>asya.yaml</c>).</summary>
    public Asya.Gateway.Flows.FlowSet Flows { get; init; } = Asya.Gateway.Flows.FlowSet.Empty;

    /// <summary>
    /// True when a flow routes through <c>x-pause</c>: <c>asya up</c> then runs the x-pause and x-resume crew too (a
    /// handler that adds x-pause to a route on its own needs a flow naming it).
    /// </summary>
    public bool UsesPause => Flows.Flows.Any(f => f.Route.Contains(Asya.Runtime.Protocol.ActorNames.Pause));

    /// <summary>The actor called <paramref name="name"/>, or <c>null</c>.</summary>
    public ActorDefinition? Find(string name) => Actors.FirstOrDefault(a => a.Name == name);
}
