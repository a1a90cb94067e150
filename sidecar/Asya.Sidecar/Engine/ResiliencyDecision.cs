using Asya.Components.Resiliency;

namespace Asya.Sidecar.Engine;

internal sealed record ResiliencyDecision(ResiliencyAction Action, RetryPolicy? Policy, int MaxAttempts, TimeSpan Delay = default);
