using System.Text.Json.Nodes;
using Asya.Runtime.Protocol;

namespace Asya.Sidecar.Engine;

/// <summary>Pure routing rules: route check, override lookup, and the envelope each result frame becomes.</summary>
internal sealed class Router(string actor, string sink, string sump)
{
    public string Actor { get; } = actor;

    public string Sink { get; } = sink;

    public string Sump { get; } = sump;

    /// <summary>
    /// The sink or sump name when a user route names one (in <c>curr</c> or <c>next</c>), else null. Those actors are
    /// reached only by the sidecar's own decisions: routing a user step to them would store a half-done envelope.
    /// </summary>
    public string? SystemActorIn(Route? route)
    {
        if (route is null)
        {
            return null;
        }

        if (IsSystem(route.Curr))
        {
            return route.Curr;
        }

        foreach (var step in route.Next)
        {
            if (IsSystem(step))
            {
                return step;
            }
        }

        return null;
    }

    /// <summary>The text put in a RouteMismatch failure when a route names a system actor.</summary>
    public static string SystemActorError(string name, string where) =>
        $"Route mismatch: {where} names the system actor '{name}', which may not appear in user routes";

    private bool IsSystem(string step) =>
        string.Equals(step, Sink, StringComparison.Ordinal) || string.Equals(step, Sump, StringComparison.Ordinal);

    /// <summary>True when <c>route.curr</c> names this actor, directly or through <c>x-asya-route-override</c>.</summary>
    public bool Accepts(Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var curr = envelope.Route?.Curr ?? "";
        return curr == Actor || OverrideOf(envelope.Headers, curr) == Actor;
    }

    /// <summary>
    /// The actor whose queue receives an envelope addressed to <paramref name="logical"/>; records the decision in
    /// <c>x-asya-route-resolved</c> when an override applies.
    /// </summary>
    public string Resolve(Envelope envelope, string logical)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (OverrideOf(envelope.Headers, logical) is not { } target)
        {
            return logical;
        }

        var headers = envelope.EnsureHeaders();
        if (headers[MeshHeaders.RouteResolved] is not JsonObject resolved)
        {
            headers[MeshHeaders.RouteResolved] = resolved = [];
        }

        resolved[logical] = new JsonObject { ["target"] = target, ["by"] = Actor };
        return target;
    }

    /// <summary>The outbound envelope for result frame <paramref name="index"/> of <paramref name="input"/> (already stamped).</summary>
    public RoutedEnvelope RouteFrame(Envelope input, Frame frame, int index, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(frame);
        var shapeError = frame.Route?.Validate("route");
        var route = shapeError is not null ? input.Route!.Clone() : frame.Route?.Clone() ?? input.Route!.Advance();
        var inStatus = frame.Status ?? input.Status ?? new EnvelopeStatus { Actor = Actor, CreatedAt = now };
        var outbound = new Envelope
        {
            Id = index == 0 ? input.Id : Guid.NewGuid().ToString(),
            ParentId = index == 0 ? input.ParentId : input.Id,
            Route = route,
            Headers = (frame.Headers ?? input.Headers)?.DeepClone().AsObject(),
            Payload = frame.Payload,
            Extra = input.Extra is null ? null : new(input.Extra, StringComparer.Ordinal),
        };

        // A name that is not a DNS label has no actor and no queue anyone reads (docs/design.md §1): stop it here, where the
        // route was written, instead of parking the envelope on a queue nothing drains.
        if (shapeError is not null)
        {
            outbound.Status = inStatus.Clone();
            return new RoutedEnvelope(FailureEnvelopes.Infrastructure(outbound, "the route a handler returned is invalid: " + shapeError, EnvelopeReason.RouteInvalid, Actor, now), Sump, MessageTypes.Sump);
        }

        if (route.FirstInvalidActor() is { } invalid)
        {
            outbound.Status = inStatus.Clone();
            return new RoutedEnvelope(FailureEnvelopes.Infrastructure(outbound, InvalidActorError(invalid), EnvelopeReason.RouteInvalid, Actor, now), Sump, MessageTypes.Sump);
        }

        if (SystemActorIn(route) is { } system)
        {
            outbound.Status = inStatus.Clone();
            var error = SystemActorError(system, "the route a handler returned");
            return new RoutedEnvelope(FailureEnvelopes.Infrastructure(outbound, error, EnvelopeReason.RouteMismatch, Actor, now), Sump, MessageTypes.Sump);
        }

        if (route.IsEnded)
        {
            outbound.Status = Terminal(inStatus, now);
            return new RoutedEnvelope(outbound, Sink, MessageTypes.Sink);
        }

        outbound.Status = new EnvelopeStatus
        {
            Phase = EnvelopePhase.Pending,
            Actor = route.Curr,
            Attempt = 1,
            MaxAttempts = 1,
            CreatedAt = inStatus.CreatedAt,
            UpdatedAt = now,
            DeadlineAt = inStatus.DeadlineAt,
        };
        var target = Resolve(outbound, route.Curr);
        if (!ActorNames.IsValid(target))
        {
            return new RoutedEnvelope(FailureEnvelopes.Infrastructure(outbound, InvalidActorError(target) + $" (from {MeshHeaders.RouteOverride})", EnvelopeReason.RouteInvalid, Actor, now), Sump, MessageTypes.Sump);
        }

        return new RoutedEnvelope(outbound, target, MessageTypes.Routing);
    }

    /// <summary>The text put in a RouteInvalid failure.</summary>
    public static string InvalidActorError(string name) =>
        $"Route invalid: '{name}' is not a valid actor name (a DNS label: lower-case letters, digits and '-', at most {ActorNames.MaxLength} characters)";

    /// <summary>Handler returned nothing: the input envelope, route untouched, goes to x-sink as succeeded.</summary>
    public RoutedEnvelope RouteEmpty(Envelope input, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        var outbound = input.Clone();
        var status = input.Status ?? new EnvelopeStatus { Actor = Actor, CreatedAt = now };
        outbound.Status = EnvelopePhase.IsTerminal(status.Phase) ? status.Clone() : Terminal(status, now);
        outbound.Status.UpdatedAt = now;
        return new RoutedEnvelope(outbound, Sink, MessageTypes.Sink);
    }

    private static EnvelopeStatus Terminal(EnvelopeStatus inStatus, DateTimeOffset now)
    {
        var status = inStatus.Clone();
        status.Phase = EnvelopePhase.Succeeded;
        status.Reason = EnvelopeReason.Completed;
        status.UpdatedAt = now;
        status.Error = null;
        return status;
    }

    private static string? OverrideOf(JsonObject? headers, string logical) =>
        logical.Length > 0
        && headers?[MeshHeaders.RouteOverride] is JsonObject map
        && map[logical] is JsonValue value
        && value.TryGetValue<string>(out var target)
        && target.Length > 0
            ? target
            : null;
}
