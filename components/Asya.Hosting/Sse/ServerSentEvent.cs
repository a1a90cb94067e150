namespace Asya.Hosting.Sse;

/// <summary>One event of a text/event-stream: its <c>event:</c> name (<c>message</c> when absent), its data lines joined with \n, and its <c>id:</c> if it had one.</summary>
public readonly record struct ServerSentEvent(string Event, string Data, string? Id = null);
