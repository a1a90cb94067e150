using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Asya.Runtime.Protocol;

namespace Asya.Sidecar.Engine;

/// <summary>Builds the envelopes of the failure outcomes (x-sump infrastructure errors, x-sink failures, retries).</summary>
internal static class FailureEnvelopes
{
    /// <summary>x-sump envelope for a body that is not a usable envelope: payload <c>{"error","original_body"}</c>.</summary>
    public static Envelope Unparsable(ReadOnlySpan<byte> body, string error, string actor, string sump, DateTimeOffset now) =>
        FromBody(body, error, EnvelopeReason.ParseError, null, actor, sump, now);

    /// <summary>
    /// x-sump envelope for a delivery the sidecar failed on (a defect): built from the queue bytes alone, so building it
    /// cannot fail the way the processing did; <c>status.error.type</c> names the exception, its message is kept.
    /// </summary>
    public static Envelope SidecarError(ReadOnlySpan<byte> body, Exception exception, string actor, string sump, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var type = exception.GetType().FullName ?? exception.GetType().Name;
        var details = new ErrorDetails { Message = exception.Message, Type = type, Mro = ["Exception"] };
        return FromBody(body, $"sidecar failed processing the delivery: {type}: {exception.Message}", EnvelopeReason.SidecarError, details, actor, sump, now);
    }

    private static Envelope FromBody(ReadOnlySpan<byte> body, string error, string reason, ErrorDetails? details, string actor, string sump, DateTimeOffset now)
    {
        // Not UTF-8 → base64 (docs/design.md §4 step 1): the original bytes are kept exactly, never altered by a replacement character.
        var originalBody = Utf8.IsValid(body) ? Encoding.UTF8.GetString(body) : Convert.ToBase64String(body);
        var payload = new JsonObject { ["error"] = error, ["original_body"] = originalBody };
        var status = Failed(null, reason, actor, now);
        status.Error = details;
        return new Envelope
        {
            Id = EnvelopeParser.TryReadId(body) is { Length: > 0 } id ? id : Guid.NewGuid().ToString(),
            Route = new Route { Curr = sump },
            Payload = ToElement(payload),
            Status = status,
        };
    }

    /// <summary>x-sump envelope for an envelope the sidecar will not process (route mismatch, too many deliveries).</summary>
    public static Envelope Infrastructure(Envelope input, string error, string reason, string actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        var outbound = input.Clone();
        outbound.Payload = ToElement(new JsonObject { ["error"] = error, ["original_payload"] = ToNode(input.Payload) });
        outbound.Status = Failed(input.Status, reason, input.Status?.Actor is { Length: > 0 } a ? a : actor, now);
        return outbound;
    }

    /// <summary>x-sink envelope for a handler failure: payload <c>{"error","details","original_payload"}</c>, <c>status.error</c> set.</summary>
    public static Envelope HandlerFailure(Envelope stamped, string code, ErrorDetails details, string reason, int maxAttempts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stamped);
        ArgumentNullException.ThrowIfNull(details);
        var outbound = stamped.Clone();
        outbound.Payload = ToElement(new JsonObject
        {
            ["error"] = code,
            ["details"] = JsonSerializer.SerializeToNode(details, ProtocolJson.Context.ErrorDetails),
            ["original_payload"] = ToNode(stamped.Payload),
        });
        var status = stamped.Status!.Clone();
        status.Phase = EnvelopePhase.Failed;
        status.Reason = reason;
        status.MaxAttempts = maxAttempts;
        status.UpdatedAt = now;
        status.Error = details.Clone();
        outbound.Status = status;
        return outbound;
    }

    /// <summary>Expired deadline: the envelope goes to x-sink unchanged apart from a failed/Timeout status.</summary>
    public static Envelope DeadlineExpired(Envelope input, string actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        var outbound = input.Clone();
        outbound.Status = new EnvelopeStatus
        {
            Phase = EnvelopePhase.Failed,
            Reason = EnvelopeReason.Timeout,
            Actor = actor,
            Attempt = 1,
            MaxAttempts = 1,
            CreatedAt = input.Status?.CreatedAt is { } created && created != default ? created : now,
            UpdatedAt = now,
            DeadlineAt = input.Status?.DeadlineAt,
            Error = new ErrorDetails { Message = "SLA deadline expired", Type = "asya.Timeout" },
        };
        return outbound;
    }

    /// <summary>The copy sent back to this actor's own queue for another attempt.</summary>
    public static Envelope Retry(Envelope stamped, ErrorDetails details, int maxAttempts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stamped);
        var outbound = stamped.Clone();
        var status = stamped.Status!.Clone();
        status.Phase = EnvelopePhase.Retrying;
        status.Reason = null;
        status.Attempt++;
        status.MaxAttempts = maxAttempts;
        status.UpdatedAt = now;
        status.Error = details.Clone();
        outbound.Status = status;
        return outbound;
    }

    /// <summary>Policy exhausted with <c>onExhausted</c>: the route is shifted so <c>curr = onExhausted[0]</c>; payload kept.</summary>
    public static Envelope OnExhausted(Envelope stamped, IReadOnlyList<string> onExhausted, ErrorDetails details, int maxAttempts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stamped);
        ArgumentNullException.ThrowIfNull(onExhausted);
        var outbound = stamped.Clone();
        var route = stamped.Route!;
        outbound.Route = new Route
        {
            Prev = route.Curr.Length > 0 ? [.. route.Prev, route.Curr] : [.. route.Prev],
            Curr = onExhausted[0],
            Next = [.. onExhausted.Skip(1)],
        };
        var status = stamped.Status!.Clone();
        status.Phase = EnvelopePhase.Failed;
        status.Reason = EnvelopeReason.PolicyRouted;
        status.MaxAttempts = maxAttempts;
        status.UpdatedAt = now;
        status.Error = details.Clone();
        outbound.Status = status;
        return outbound;
    }

    private static EnvelopeStatus Failed(EnvelopeStatus? original, string reason, string actor, DateTimeOffset now) => new()
    {
        Phase = EnvelopePhase.Failed,
        Reason = reason,
        Actor = actor,
        Attempt = 1,
        MaxAttempts = 1,
        CreatedAt = original?.CreatedAt is { } created && created != default ? created : now,
        UpdatedAt = now,
        DeadlineAt = original?.DeadlineAt,
    };

    private static JsonNode? ToNode(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? null : JsonNode.Parse(element.GetRawText(), documentOptions: ProtocolJson.DocumentOptions);

    private static JsonElement ToElement(JsonNode node)
    {
        using var document = JsonDocument.Parse(ProtocolJson.ToJsonString(node), ProtocolJson.DocumentOptions);
        return document.RootElement.Clone();
    }
}
