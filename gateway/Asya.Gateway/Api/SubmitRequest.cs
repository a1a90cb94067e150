using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Gateway.Flows;
using Asya.Runtime.Protocol;
using Microsoft.AspNetCore.Http;

namespace Asya.Gateway.Api;

/// <summary>
/// A checked <c>POST /api/v1/mesh</c> body: <c>{flow?, actor?, route?, payload, headers?, timeout?}</c> with exactly one
/// of flow, actor and route, resolved to the route the envelope starts on.
/// </summary>
internal sealed record SubmitRequest(IReadOnlyList<string> Route, string? Flow, JsonElement Payload, JsonObject? Headers, TimeSpan? Timeout)
{
    private static readonly string[] Fields = ["flow", "actor", "route", "payload", "headers", "timeout"];

    private static readonly string[] Targets = ["flow", "actor", "route"];

    /// <summary>The request, or the answer to give instead: 400 naming the field, 404 naming the unknown flow or actor.</summary>
    public static (SubmitRequest? Request, int Status, string? Error) Read(JsonElement body, FlowSet flows)
    {
        ArgumentNullException.ThrowIfNull(flows);
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Bad("body: must be a JSON object {flow|actor|route, payload, headers?, timeout?}");
        }

        foreach (var property in body.EnumerateObject())
        {
            if (!Fields.Contains(property.Name))
            {
                return Bad($"{property.Name}: unknown field (known: {string.Join(", ", Fields)})");
            }
        }

        var targets = Targets.Where(f => body.TryGetProperty(f, out var v) && v.ValueKind != JsonValueKind.Null).ToList();
        if (targets.Count != 1)
        {
            return Bad(targets.Count == 0 ? "flow, actor, route: give exactly one (none given)" : $"{string.Join(", ", targets)}: give exactly one of flow, actor, route");
        }

        if (!body.TryGetProperty("payload", out var payload) || payload.ValueKind == JsonValueKind.Undefined)
        {
            return Bad("payload: required (any JSON value)");
        }

        JsonObject? headers = null;
        if (body.TryGetProperty("headers", out var h) && h.ValueKind != JsonValueKind.Null)
        {
            if (h.ValueKind != JsonValueKind.Object)
            {
                return Bad("headers: must be a JSON object");
            }

            headers = JsonObject.Create(h);
        }

        TimeSpan? timeout = null;
        if (body.TryGetProperty("timeout", out var t) && t.ValueKind != JsonValueKind.Null)
        {
            if (t.ValueKind != JsonValueKind.Number || !t.TryGetDouble(out var seconds) || seconds <= 0 || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
            {
                return Bad("timeout: must be a number of seconds above 0");
            }

            timeout = TimeSpan.FromSeconds(seconds);
        }

        var target = body.GetProperty(targets[0]);
        switch (targets[0])
        {
            case "flow":
                if (target.ValueKind != JsonValueKind.String)
                {
                    return Bad("flow: must be a flow name");
                }

                var name = target.GetString()!;
                return flows.Find(name) is { } flow
                    ? (new SubmitRequest(flow.Route, flow.Name, payload, headers, timeout ?? flow.Timeout), StatusCodes.Status201Created, null)
                    : (null, StatusCodes.Status404NotFound, $"flow: unknown flow '{name}'");
            case "actor":
                if (target.ValueKind != JsonValueKind.String || !ActorNames.IsValid(target.GetString()))
                {
                    return Bad($"actor: {target.GetRawText()} is not an actor name (a DNS label: lower-case letters, digits, '-')");
                }

                var actor = target.GetString()!;
                return flows.IsKnownActor(actor)
                    ? (new SubmitRequest([actor], null, payload, headers, timeout), StatusCodes.Status201Created, null)
                    : (null, StatusCodes.Status404NotFound, $"actor: unknown actor '{actor}' (no flow names it)");
            default:
                if (target.ValueKind != JsonValueKind.Array || target.GetArrayLength() == 0)
                {
                    return Bad("route: must be a non-empty list of actor names");
                }

                var route = new List<string>();
                foreach (var step in target.EnumerateArray())
                {
                    var where = $"route[{route.Count}]";
                    if (step.ValueKind != JsonValueKind.String || !ActorNames.IsValid(step.GetString()))
                    {
                        return Bad($"{where}: {step.GetRawText()} is not an actor name (a DNS label: lower-case letters, digits, '-')");
                    }

                    if (!flows.IsKnownActor(step.GetString()!))
                    {
                        return (null, StatusCodes.Status404NotFound, $"{where}: unknown actor '{step.GetString()}' (no flow names it)");
                    }

                    route.Add(step.GetString()!);
                }

                return (new SubmitRequest(route, null, payload, headers, timeout), StatusCodes.Status201Created, null);
        }
    }

    private static (SubmitRequest?, int, string?) Bad(string error) => (null, StatusCodes.Status400BadRequest, error);
}
