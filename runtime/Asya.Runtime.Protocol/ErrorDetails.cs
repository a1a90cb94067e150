using System.Text.Json.Serialization;

namespace Asya.Runtime.Protocol;

/// <summary>
/// An error as the runtime reports it and as <c>status.error</c> carries it: message, fully qualified type
/// (<c>module.QualName</c>, builtins bare), the class chain without the class itself, <c>object</c> and
/// <c>BaseException</c>, and the formatted traceback.
/// </summary>
public sealed class ErrorDetails
{
    /// <summary>Text of the exception.</summary>
    [JsonPropertyName("message"), JsonPropertyOrder(0)]
    public string Message { get; set; } = "";

    /// <summary>Fully qualified exception type, e.g. <c>ValueError</c> or <c>requests.exceptions.Timeout</c>.</summary>
    [JsonPropertyName("type"), JsonPropertyOrder(1)]
    public string Type { get; set; } = "";

    /// <summary>Base classes, nearest first, e.g. <c>["Exception"]</c> for <c>ValueError</c>.</summary>
    [JsonPropertyName("mro"), JsonPropertyOrder(2)]
    public List<string> Mro { get; set; } = [];

    /// <summary>Formatted traceback; empty for infrastructure errors.</summary>
    [JsonPropertyName("traceback"), JsonPropertyOrder(3)]
    public string Traceback { get; set; } = "";

    /// <summary>A copy whose list is not shared with this one.</summary>
    public ErrorDetails Clone() => new() { Message = Message, Type = Type, Mro = [.. Mro], Traceback = Traceback };
}
