using System.Text.Json;

namespace Asya.Gateway.Tasks;

/// <summary>The wire form of the task model: snake_case names (<c>parent_id</c>, <c>created_at</c>), lowercase enums, no nulls.</summary>
public static class TaskJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}
