namespace Asya.Sidecar.Runtime;

/// <summary>
/// Receives the data of each <c>upstream</c> (FLY) event as the runtime streams it, in order, before the frames that
/// follow it; it must not block (the runtime's stream waits for it).
/// </summary>
internal delegate void UpstreamCallback(string data);
