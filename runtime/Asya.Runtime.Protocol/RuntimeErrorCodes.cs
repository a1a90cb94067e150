namespace Asya.Runtime.Protocol;

/// <summary>Values of the <c>error</c> field in runtime error replies.</summary>
public static class RuntimeErrorCodes
{
    /// <summary>The request body was not a valid envelope (HTTP 400).</summary>
    public const string MessageParsingError = "msg_parsing_error";

    /// <summary>The handler raised, or its result could not be serialized (HTTP 500 or SSE <c>error</c>).</summary>
    public const string ProcessingError = "processing_error";

    /// <summary>The sidecar could not talk to the runtime (written by the sidecar, never by a runtime).</summary>
    public const string ConnectionError = "connection_error";
}
