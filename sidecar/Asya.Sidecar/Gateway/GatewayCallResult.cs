namespace Asya.Sidecar.Gateway;

/// <summary>How one call to a gateway ended.</summary>
internal enum GatewayCallResult
{
    /// <summary>2xx.</summary>
    Ok,

    /// <summary>404: the gateway does not know the task (the sidecar stops reporting it).</summary>
    UnknownTask,

    /// <summary>Another HTTP status: the gateway is up but refused this call.</summary>
    Rejected,

    /// <summary>Timeout, connection refused, reset: the gateway is treated as down for a while.</summary>
    Unreachable,
}
