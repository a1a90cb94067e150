using System.Diagnostics;
using Asya.Runtime.Protocol;

namespace Asya.Gateway.Observability;

/// <summary>
/// A task is the root of its trace: span <c>gateway.task</c> starts a new trace whatever request carried the submit, and
/// its W3C context goes into the envelope's <c>traceparent</c>/<c>tracestate</c> headers, where every sidecar's
/// <c>actor.process</c> span takes its parent from.
/// </summary>
internal static class GatewayTracing
{
    public const string SourceName = "Asya.Gateway";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts the root span of task <paramref name="envelope"/> and stamps its context into the envelope's headers.</summary>
    public static Activity? StartTask(Envelope envelope, string? flow)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var previous = Activity.Current;
        // A null current activity makes the new span a root instead of a child of the HTTP request's span.
        Activity.Current = null;
        Activity? activity;
        try
        {
            activity = Source.StartActivity("gateway.task", ActivityKind.Producer);
        }
        finally
        {
            Activity.Current = previous;
        }

        if (activity is null)
        {
            return null;
        }

        activity.SetTag("asya.task_id", envelope.Id);
        activity.SetTag("asya.actor", envelope.Route?.Curr);
        if (flow is not null)
        {
            activity.SetTag("asya.flow", flow);
        }

        var headers = envelope.EnsureHeaders();
        headers[MeshHeaders.TraceParent] = activity.Id;
        if (activity.TraceStateString is { Length: > 0 } state)
        {
            headers[MeshHeaders.TraceState] = state;
        }

        return activity;
    }
}
