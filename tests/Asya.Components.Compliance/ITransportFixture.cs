using Asya.Components.Abstractions;

namespace Asya.Components.Compliance;

/// <summary>
/// What <see cref="TransportCompliance{TFixture}"/> needs from one transport: fresh initialised instances on one
/// shared storage (file, broker, emulator). Used as an xunit class fixture, so it lives for one test class.
/// </summary>
public interface ITransportFixture
{
    /// <summary>The visibility timeout the fixture configures; keep it short (e.g. 200 ms) so redelivery tests are fast.</summary>
    TimeSpan VisibilityTimeout { get; }

    /// <summary>
    /// The largest body of arbitrary bytes the transport round-trips: 1 MiB unless the broker documents a lower limit
    /// (SQS: 256 KiB per message, less once binary is base64-encoded).
    /// </summary>
    int MaxBodyBytes => 1024 * 1024;

    /// <summary>A new, initialised transport on the fixture's storage; the test disposes it.</summary>
    Task<ITransport> CreateTransportAsync();

    /// <summary>A queue name no other test uses.</summary>
    string NewQueueName() => "asya-test-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// Simulates a crash of the process holding <paramref name="transport"/>: it goes away without acking anything,
    /// and a new transport opens on the same storage.
    /// </summary>
    async Task<ITransport> CrashAndRestartAsync(ITransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        await transport.DisposeAsync().ConfigureAwait(false);
        return await CreateTransportAsync().ConfigureAwait(false);
    }
}
