using System.Text.Json.Serialization;

namespace Asya.Gateway.Tasks;

/// <summary>
/// The <c>status</c> a sidecar reports: a hop phase of the reporting actor (received, processing, completed: the
/// task is running, progress weight 0.1 / 0.5 / 1.0) or a task status (paused by x-pause, terminal from x-sink/x-sump).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<TaskReportStatus>))]
public enum TaskReportStatus
{
    [JsonStringEnumMemberName("received")] Received,
    [JsonStringEnumMemberName("processing")] Processing,
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("paused")] Paused,
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("canceled")] Canceled,
}
