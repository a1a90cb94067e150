using System.Text.Json.Serialization;

namespace Asya.Gateway.Tasks;

/// <summary>
/// The <c>status</c> a sidecar reports: a hop phase of the reporting actor (received, processing, completed: the
/// task is running, progress weight 0.1 / 0.5 / 1.0) or a task status (paused by x-pause, terminal from x-sink/x-sump).
/// Upstream v1 sidecars (and ours) send <c>running</c> with the hop in <c>phase</c>; <see cref="TaskReport.Normalized"/>
/// turns that into the phase, so the rules only ever see phases and task statuses.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<TaskReportStatus>))]
public enum TaskReportStatus
{
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("received")] Received,
    [JsonStringEnumMemberName("processing")] Processing,
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("paused")] Paused,
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("canceled")] Canceled,
}
