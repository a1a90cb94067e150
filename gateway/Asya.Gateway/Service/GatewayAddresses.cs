namespace Asya.Gateway.Service;

/// <summary>Where the gateway is reached, known once its listeners are bound (a port 0 resolved).</summary>
internal sealed class GatewayAddresses
{
    /// <summary>The mesh-port base URL sidecars call: <c>--mesh-url</c>, else the bound mesh address.</summary>
    public string MeshUrl { get; set; } = "";

    /// <summary>The bound api address (<c>http://127.0.0.1:8080</c>).</summary>
    public string ApiUrl { get; set; } = "";
}
