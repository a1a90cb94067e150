using System.Text.Json.Nodes;

namespace Asya.Sidecar.Gateway;

/// <summary>
/// One item for the sender: an event (<see cref="Body"/>) for <see cref="Target"/>'s gateway, or a flush marker
/// (<see cref="Flushed"/>) completed once every item of its task queued before it was sent or dropped.
/// </summary>
internal sealed record GatewayReport(GatewayTarget Target, JsonObject? Body, TaskCompletionSource? Flushed = null);
