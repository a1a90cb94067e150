using System.Text.Json.Nodes;

namespace Asya.Sidecar.Gateway;

/// <summary>One event waiting for the sender: where it goes and its body.</summary>
internal sealed record GatewayReport(GatewayTarget Target, JsonObject Body);
