using System.Text.Json.Serialization;

namespace Asya.Gateway.Tasks;

/// <summary>What a sidecar report carries: a status change (stored) or a FLY event (live only, never stored).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TaskReportType>))]
public enum TaskReportType
{
    [JsonStringEnumMemberName("status")] Status,
    [JsonStringEnumMemberName("fly")] Fly,
}
