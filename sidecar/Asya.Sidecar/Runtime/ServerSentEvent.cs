namespace Asya.Sidecar.Runtime;

internal readonly record struct ServerSentEvent(string Event, string Data);
