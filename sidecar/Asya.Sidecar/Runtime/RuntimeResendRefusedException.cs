namespace Asya.Sidecar.Runtime;

/// <summary>HttpClient tried to send an envelope a second time after the whole of it had reached a runtime.</summary>
internal sealed class RuntimeResendRefusedException()
    : IOException("the envelope already reached a runtime whose connection then broke; it is not sent again on another connection");
