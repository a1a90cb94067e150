namespace Asya.Sidecar.Gateway;

/// <summary>
/// The gateway a task's envelope reports to: a mesh-port base URL (header <c>x-asya-gateway-url</c>, else the sidecar's
/// <c>--gateway-url</c>; <see cref="GatewayTargets"/> picks it) and the task id (the envelope id).
/// </summary>
internal sealed record GatewayTarget(string BaseUrl, string TaskId)
{
    public const string ApiPrefix = "/api/v1/mesh/";

    /// <summary><c>GET</c> here is the pre-flight read of the task.</summary>
    public Uri TaskUri => new(BaseUrl + ApiPrefix + Uri.EscapeDataString(TaskId));

    /// <summary><c>POST</c> here takes one status or fly event.</summary>
    public Uri EventsUri => new(BaseUrl + ApiPrefix + Uri.EscapeDataString(TaskId) + "/events");
}
