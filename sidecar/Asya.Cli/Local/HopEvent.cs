namespace Asya.Cli.Local;

/// <summary>One <c>EnvelopeHandled</c> event of a sidecar: what happened to an envelope at one actor.</summary>
internal sealed record HopEvent(string EnvelopeId, string Actor, string Outcome, string Destination, double DurationMs);
