using Asya.Runtime.Protocol;
namespace Asya.Cli.Folder;

/// <summary>The optional <c>asya.yaml</c> of a folder.</summary>
/// <param name="Namespace">Mesh namespace.</param>
/// <param name="Route">Default route of <c>asya run</c>/<c>send</c>, or <c>null</c> when not given.</param>
/// <param name="SourceFile">Where it came from, or <c>null</c> when the folder has none.</param>
internal sealed record FolderSettings(string Namespace, IReadOnlyList<string>? Route, string? SourceFile)
{
    public static FolderSettings Empty { get; } = new(ActorNames.DefaultNamespace, null, null);
}
