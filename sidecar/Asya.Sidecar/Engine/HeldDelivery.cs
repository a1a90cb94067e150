using Asya.Components.Abstractions;

namespace Asya.Sidecar.Engine;

/// <summary>A received delivery on its way to a worker, with the keeper of its lease (null when the transport has none).</summary>
internal sealed record HeldDelivery(TransportMessage Message, IDisposable? Lease);
