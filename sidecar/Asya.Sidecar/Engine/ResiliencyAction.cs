namespace Asya.Sidecar.Engine;

internal enum ResiliencyAction
{
    /// <summary>No policy matched: x-sink failed/RuntimeError (or Timeout).</summary>
    NoPolicy,

    /// <summary>Send a copy to the actor's own queue after <see cref="ResiliencyDecision.Delay"/>.</summary>
    Retry,

    /// <summary>Attempts or duration exhausted and the policy names <c>onExhausted</c> actors.</summary>
    RouteOnExhausted,

    /// <summary>Attempts or duration exhausted: x-sink failed/PolicyExhausted.</summary>
    Exhausted,
}
