using Asya.Runtime.Protocol;

namespace Asya.Sidecar.Engine;

/// <summary>An envelope ready to send, the actor whose queue receives it, and the kind label for metrics.</summary>
internal sealed record RoutedEnvelope(Envelope Envelope, string Destination, string MessageType);
