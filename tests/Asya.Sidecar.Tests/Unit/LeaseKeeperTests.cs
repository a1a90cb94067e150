using Asya.Components.Abstractions;
using Asya.Sidecar.Engine;
using Asya.Sidecar.Tests.Fakes;
using Asya.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Asya.Sidecar.Tests.Unit;

public sealed class LeaseKeeperTests
{
    [Fact]
    public async Task Start_LeaseTransport_ExtendsEveryThirdOfTheLeaseUntilDisposed()
    {
        var transport = new LeasingTransport();
        var time = new FakeTimeProvider();
        var message = new TestMessage { Id = "m1", Queue = "q", Body = Array.Empty<byte>() };
        var keeper = LeaseKeeper.Start(transport, message, TimeSpan.FromSeconds(30), time, NullLogger.Instance);
        Assert.NotNull(keeper);

        for (var i = 1; i <= 3; i++)
        {
            time.Advance(TimeSpan.FromSeconds(10));
            await transport.Extended.WaitAsync(i, TimeSpan.FromSeconds(10));
        }

        keeper.Dispose();
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(3, transport.Extensions);
        Assert.Equal(TimeSpan.FromSeconds(30), transport.LastExtension);
    }

    [Fact]
    public void Start_PlainTransport_NoKeeper()
    {
        var message = new TestMessage { Id = "m1", Queue = "q", Body = Array.Empty<byte>() };
        Assert.Null(LeaseKeeper.Start(new TestTransport(), message, TimeSpan.FromSeconds(30), TimeProvider.System, NullLogger.Instance));
    }

    private sealed class LeasingTransport : ITransport, ILeaseExtender
    {
        public CountSignal Extended { get; } = new();

        public int Extensions => Extended.Count;

        public TimeSpan LastExtension { get; private set; }

        public ValueTask ExtendLeaseAsync(TransportMessage message, TimeSpan extension, CancellationToken cancellationToken)
        {
            LastExtension = extension;
            Extended.Increment();
            return ValueTask.CompletedTask;
        }

        public ValueTask InitAsync(ComponentSpec spec, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask<IReadOnlyList<TransportMessage>> ReceiveAsync(string queue, ReceiveOptions options, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<TransportMessage>>([]);

        public ValueTask SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask AckAsync(TransportMessage message, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask NackAsync(TransportMessage message, TimeSpan delay, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
