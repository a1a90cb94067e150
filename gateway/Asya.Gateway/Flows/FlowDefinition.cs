using System.Text.Json.Nodes;

namespace Asya.Gateway.Flows;

/// <summary>
/// One entry of <c>flows:</c> (spec "Flows"): what clients may call by name. The route is <see cref="Entrypoint"/> then
/// <see cref="RouteNext"/>; <see cref="Timeout"/> becomes the envelope's <c>status.deadline_at</c>.
/// </summary>
/// <param name="Location"><c>file:line</c> of the entry, for messages.</param>
internal sealed record FlowDefinition(
    string Name,
    string Entrypoint,
    IReadOnlyList<string> RouteNext,
    string? Description,
    TimeSpan? Timeout,
    JsonObject? Mcp,
    JsonObject? A2a,
    string Location)
{
    /// <summary>Every actor of the flow's route, entrypoint first.</summary>
    public IReadOnlyList<string> Route => [Entrypoint, .. RouteNext];
}
