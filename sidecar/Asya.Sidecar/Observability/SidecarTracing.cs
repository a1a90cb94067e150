using System.Diagnostics;
using Asya.Runtime.Protocol;

namespace Asya.Sidecar.Observability;

/// <summary>Spans actor.process / actor.runtime.call / actor.queue.send; W3C context travels in envelope headers.</summary>
internal static class SidecarTracing
{
    public const string SourceName = "Asya.Sidecar";

    public static readonly ActivitySource Source = new(SourceName);

    public static Activity? StartProcess(Envelope envelope, string actor, string queue)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ActivityContext parent = default;
        if (envelope.Headers?[MeshHeaders.TraceParent]?.GetValueKind() == System.Text.Json.JsonValueKind.String)
        {
            var traceState = envelope.Headers[MeshHeaders.TraceState]?.GetValueKind() == System.Text.Json.JsonValueKind.String
                ? envelope.Headers[MeshHeaders.TraceState]!.GetValue<string>()
                : null;
            ActivityContext.TryParse(envelope.Headers[MeshHeaders.TraceParent]!.GetValue<string>(), traceState, out parent);
        }

        var activity = Source.StartActivity("actor.process", ActivityKind.Server, parent);
        activity?.SetTag("asya.actor", actor);
        activity?.SetTag("asya.envelope_id", envelope.Id);
        activity?.SetTag("asya.queue", queue);
        return activity;
    }

    /// <summary>Writes the current span's context into the outbound headers; without a listener the inbound context is carried as is.</summary>
    public static void Inject(Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (Activity.Current is not { IdFormat: ActivityIdFormat.W3C } activity)
        {
            return;
        }

        var headers = envelope.EnsureHeaders();
        headers[MeshHeaders.TraceParent] = activity.Id;
        if (activity.TraceStateString is { Length: > 0 } state)
        {
            headers[MeshHeaders.TraceState] = state;
        }
    }
}
