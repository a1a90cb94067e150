using System.Text.Json.Serialization;

namespace Asya.Gateway.Tasks;

/// <summary>The SSE event types: a status change and a progress step are stored updates; FLY is live only.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TaskEventKind>))]
public enum TaskEventKind
{
    [JsonStringEnumMemberName("status")] Status,
    [JsonStringEnumMemberName("progress")] Progress,
    [JsonStringEnumMemberName("fly")] Fly,
}
