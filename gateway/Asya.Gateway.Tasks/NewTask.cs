using System.Text.Json.Nodes;
using Asya.Runtime.Protocol;

namespace Asya.Gateway.Tasks;

/// <summary>A task to create: the envelope's id and route as sent, the input payload, and an optional timeout.</summary>
public sealed record NewTask
{
    public required string Id { get; init; }

    public string? ParentId { get; init; }

    public string? Flow { get; init; }

    public required Route Route { get; init; }

    public JsonNode? Payload { get; init; }

    /// <summary>Sets <see cref="MeshTask.Deadline"/> to creation time + timeout.</summary>
    public TimeSpan? Timeout { get; init; }
}
