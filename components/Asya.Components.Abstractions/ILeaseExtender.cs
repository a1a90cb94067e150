namespace Asya.Components.Abstractions;

/// <summary>A transport whose received messages reappear after a visibility timeout, and whose lease can be extended.</summary>
public interface ILeaseExtender
{
    /// <summary>Keeps <paramref name="message"/> invisible for <paramref name="extension"/> from now.</summary>
    ValueTask ExtendLeaseAsync(TransportMessage message, TimeSpan extension, CancellationToken cancellationToken);
}
