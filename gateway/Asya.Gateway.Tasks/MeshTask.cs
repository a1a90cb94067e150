using System.Text.Json.Nodes;
using Asya.Runtime.Protocol;

namespace Asya.Gateway.Tasks;

/// <summary>
/// One envelope id submitted through the gateway and what is known of it. Only <see cref="TaskRules"/> decides how a
/// task changes; stores persist what it returns.
/// </summary>
public sealed record MeshTask
{
    public required string Id { get; init; }

    public string? ParentId { get; init; }

    /// <summary>The flow it was submitted to, when it came through one.</summary>
    public string? Flow { get; init; }

    public TaskState Status { get; init; } = TaskState.Pending;

    public required Route Route { get; init; }

    /// <summary>The input payload as submitted.</summary>
    public JsonNode? Payload { get; init; }

    public JsonNode? Result { get; init; }

    public JsonNode? Error { get; init; }

    /// <summary>0–100, never decreasing; 100 only once succeeded.</summary>
    public double Progress { get; init; }

    /// <summary>The actor that reported last.</summary>
    public string? Actor { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the backstop fails the task if it is still pending or running; null = no timeout.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>While paused: the time that was left before <see cref="Deadline"/>; the deadline restarts from it on resume.</summary>
    public TimeSpan? RemainingWhilePaused { get; init; }

    /// <summary>While paused: x-pause's prompt and fields.</summary>
    public JsonNode? PauseMetadata { get; init; }
}
