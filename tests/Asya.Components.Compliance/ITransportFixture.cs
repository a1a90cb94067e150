using Asya.Components.Abstractions;
using Xunit;

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

    /// <summary>
    /// A transport opened the way the scaler opens one to read depths (RabbitMQ: with its management API, the only way
    /// to count another process's messages); by default like <see cref="CreateTransportAsync"/>.
    /// </summary>
    Task<ITransport> CreateDepthReaderAsync() => CreateTransportAsync();

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

    /// <summary>
    /// The largest body the transport accepts, when it has one the suite can reach: a send one byte larger must fail
    /// with an error naming the queue and the limit, before anything is queued. <c>null</c>: no such limit.
    /// </summary>
    int? MessageSizeLimit => null;

    /// <summary>Why <see cref="MessageSizeLimit"/> is <c>null</c>, shown as the skip reason.</summary>
    string NoMessageSizeLimitReason => "the transport has no per-message size limit of its own";

    /// <summary>
    /// Why another process (a new transport on the same storage, as the scaler is) cannot see this one's queue depths,
    /// or <c>null</c> when it can.
    /// </summary>
    string? SharedDepthUnsupportedReason => null;

    /// <summary>
    /// Whether the depth another process reads lags behind the queue (RabbitMQ's management statistics, SQS's approximate
    /// counters): the suite then polls until they agree; otherwise one read must already be right.
    /// </summary>
    bool DepthLags => false;

    /// <summary>
    /// Restarts (or stops and starts) the broker the transports talk to and returns once it answers again; a fixture
    /// without a broker process skips the case. Broker fixtures go through <c>deploy/local/services restart</c> with
    /// their own ports and state folder, so a test run can point at a private instance.
    /// </summary>
    Task RestartBrokerAsync() => throw new SkipException("the transport has no broker process to restart");

    /// <summary>Whether messages sent before <see cref="RestartBrokerAsync"/> are still there after it (emulators keep them in memory).</summary>
    bool KeepsMessagesAcrossRestart => true;
}
