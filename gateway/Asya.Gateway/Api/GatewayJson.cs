using System.Text.Encodings.Web;
using System.Text.Json;
using Asya.Gateway.Tasks;

namespace Asya.Gateway.Api;

/// <summary>
/// The JSON of every gateway answer: the task model's wire form (<see cref="TaskJson"/>) without the HTML-safe escaping,
/// so an error reads <c>unknown task 'x'</c> rather than <c>\u0027x\u0027</c> (answers are JSON, never HTML).
/// </summary>
internal static class GatewayJson
{
    public static JsonSerializerOptions Options { get; } = new(TaskJson.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
