using System.Text.Json.Serialization;

namespace Asya.Gateway.Tasks;

/// <summary>
/// A task's status. The order is monotonic (<see cref="TaskRules.Order"/>): pending &lt; running &lt; paused &lt;
/// succeeded = failed = canceled; only a resume goes back, from paused to running.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<TaskState>))]
public enum TaskState
{
    [JsonStringEnumMemberName("pending")] Pending,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("paused")] Paused,
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("canceled")] Canceled,
}
