using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Runtime.Protocol;

namespace Asya.Mesh.Client;

/// <summary>
/// An envelope the crew stored: at x-sink (the route is done, succeeded or failed) or only at x-sump (dead-lettered
/// without reaching x-sink: unparsable, wrong queue, too many deliveries, invalid route, sidecar error).
/// </summary>
/// <param name="Id">Envelope id it was looked up by.</param>
/// <param name="DeadLettered">True when only x-sump holds it.</param>
/// <param name="Body">The stored envelope JSON.</param>
public sealed record FinishedEnvelope(string Id, bool DeadLettered, byte[] Body)
{
    /// <summary><c>status.phase</c>, or <c>null</c>.</summary>
    public string? Phase => Field("status", "phase");

    /// <summary><c>status.reason</c> (x-sump's reason code), or <c>null</c>.</summary>
    public string? Reason => Field("status", "reason");

    /// <summary><c>parent_id</c> of a fan-out child, or <c>null</c>.</summary>
    public string? ParentId => Field("parent_id");

    /// <summary>Only an envelope x-sink stored as succeeded is a success; failures and dead letters are not.</summary>
    public bool Succeeded => !DeadLettered && Phase == EnvelopePhase.Succeeded;

    /// <summary>One line for stderr: where it ended and why.</summary>
    public string Describe()
    {
        if (!DeadLettered)
        {
            return $"{Id}: {Phase ?? "(no status)"}";
        }

        var error = Field("status", "error", "type") is { } type ? $", {type}" : "";
        return $"{Id}: dead-lettered at x-sump ({Reason ?? "no reason"}{error}; at actor {Field("status", "actor") ?? "?"})";
    }

    private string? Field(params string[] path)
    {
        try
        {
            JsonNode? node = JsonNode.Parse(Body);
            foreach (var name in path)
            {
                node = node is JsonObject obj ? obj[name] : null;
            }

            return node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
