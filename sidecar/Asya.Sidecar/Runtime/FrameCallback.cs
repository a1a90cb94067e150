using Asya.Runtime.Protocol;

namespace Asya.Sidecar.Runtime;

/// <summary>Receives each result frame as the runtime produces it; index 0 is the first frame.</summary>
internal delegate ValueTask FrameCallback(Frame frame, int index, CancellationToken cancellationToken);
