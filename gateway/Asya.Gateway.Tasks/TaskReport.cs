using System.Text.Json.Nodes;
using Asya.Runtime.Protocol;

namespace Asya.Gateway.Tasks;

/// <summary>
/// What a sidecar posts to the mesh port for one task: <c>{"type":"status","status","actor","route","message"?,
/// "result"?,"error"?,"pause_metadata"?}</c> or <c>{"type":"fly","actor","data"}</c>. The route is the envelope's as the
/// reporting actor holds it (<c>curr</c> = that actor).
/// </summary>
public sealed record TaskReport
{
    public TaskReportType Type { get; init; } = TaskReportType.Status;

    /// <summary>Required for <see cref="TaskReportType.Status"/>; ignored for FLY.</summary>
    public TaskReportStatus? Status { get; init; }

    public string? Actor { get; init; }

    public Route? Route { get; init; }

    public string? Message { get; init; }

    /// <summary>The final payload, with <see cref="TaskReportStatus.Succeeded"/>.</summary>
    public JsonNode? Result { get; init; }

    /// <summary>The error, with <see cref="TaskReportStatus.Failed"/>.</summary>
    public JsonNode? Error { get; init; }

    /// <summary>The prompt and fields x-pause stored, with <see cref="TaskReportStatus.Paused"/>.</summary>
    public JsonNode? PauseMetadata { get; init; }

    /// <summary>The FLY event's body, passed on verbatim.</summary>
    public JsonNode? Data { get; init; }
}
