using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Asya.Runtime.Protocol;

namespace Asya.Gateway.Tasks;

/// <summary>
/// The wire form of the task model (snake_case names such as <c>parent_id</c>, lowercase enums, no nulls) and the text
/// form stores keep JSON columns in.
/// </summary>
public static class TaskJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string RouteText(Route route) => JsonSerializer.Serialize(route, Options);

    public static Route ParseRoute(string text) =>
        JsonSerializer.Deserialize<Route>(text, Options) ?? throw new JsonException("a stored route is null");

    /// <summary>Null stays null (SQL NULL); JSON null is stored as the text <c>null</c>, so it reads back as null too.</summary>
    public static string? Text(JsonNode? node) => node?.ToJsonString();

    public static JsonNode? Parse(string? text) => text is null ? null : JsonNode.Parse(text);
}
