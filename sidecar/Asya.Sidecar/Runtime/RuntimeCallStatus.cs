namespace Asya.Sidecar.Runtime;

internal enum RuntimeCallStatus
{
    /// <summary>The handler finished; its frames were handed to the frame callback as they arrived.</summary>
    Completed,

    /// <summary>The handler raised (HTTP 500 or SSE <c>error</c>).</summary>
    HandlerError,

    /// <summary>The runtime refused the envelope (HTTP 400 <c>msg_parsing_error</c>).</summary>
    Rejected,

    /// <summary>The runtime could not be reached (no socket, connection refused): not up yet, transient.</summary>
    Unreachable,

    /// <summary>
    /// The request reached the runtime and the connection broke before the answer was complete: the runtime may have
    /// died under this envelope (the caller asks the controller whether its process ended).
    /// </summary>
    Broken,

    /// <summary>The effective timeout passed while the handler ran.</summary>
    TimedOut,
}
