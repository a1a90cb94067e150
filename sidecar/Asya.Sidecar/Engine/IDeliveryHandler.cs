using Asya.Components.Abstractions;

namespace Asya.Sidecar.Engine;

/// <summary>Handles one delivery end to end and says whether to ack it (actor mode or crew mode).</summary>
internal interface IDeliveryHandler
{
    Task<DeliveryResult> HandleAsync(TransportMessage message, CancellationToken cancellationToken);
}
