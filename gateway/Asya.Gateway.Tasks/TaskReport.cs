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

    /// <summary>With <see cref="TaskReportStatus.Running"/>: the hop phase (received, processing or completed).</summary>
    public TaskReportStatus? Phase { get; init; }

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

    /// <summary>
    /// The report as the rules read it: <c>running</c> becomes its <see cref="Phase"/> (received when none is given, the
    /// lowest weight, so a report without a phase can never push progress past what was reported). Null when the phase
    /// is not a hop phase.
    /// </summary>
    public TaskReport? Normalized() => Status switch
    {
        TaskReportStatus.Running => Phase switch
        {
            null => this with { Status = TaskReportStatus.Received },
            TaskReportStatus.Received or TaskReportStatus.Processing or TaskReportStatus.Completed => this with { Status = Phase },
            _ => null,
        },
        _ => this,
    };
}
