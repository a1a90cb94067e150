namespace Asya.Sidecar.Engine;

/// <summary>Values of the <c>message_type</c> metric label (upstream names).</summary>
internal static class MessageTypes
{
    public const string Routing = "routing";
    public const string Sink = "sink";
    public const string Sump = "sump";
    public const string OnExhausted = "on_exhausted";
    public const string Retry = "retry";
}
