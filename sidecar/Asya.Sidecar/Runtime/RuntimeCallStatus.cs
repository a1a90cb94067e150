namespace Asya.Sidecar.Runtime;

internal enum RuntimeCallStatus
{
    /// <summary>The handler finished; its frames were handed to the frame callback as they arrived.</summary>
    Completed,

    /// <summary>The handler raised (HTTP 500 or SSE <c>error</c>).</summary>
    HandlerError,

    /// <summary>The runtime refused the envelope (HTTP 400 <c>msg_parsing_error</c>).</summary>
    Rejected,

    /// <summary>The runtime could not be reached or the connection broke before an answer: transient.</summary>
    Unreachable,

    /// <summary>The effective timeout passed while the handler ran.</summary>
    TimedOut,
}
