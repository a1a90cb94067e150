using Asya.Components.Abstractions;
using Asya.ExternalScaler.Configuration;
using Asya.ExternalScaler.Tests.Infrastructure;
using Asya.Testing;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Asya.ExternalScaler.Tests.Rpc;

/// <summary>Transports come from manifests through the same loader and factories as the sidecar.</summary>
public sealed class TransportChoiceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task GetMetrics_TransportWithoutDepth_FailedPreconditionNamingComponentButSpecStillAnswers()
    {
        await File.WriteAllTextAsync(_dir.Combine("blind.yaml"), """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: blind
            spec:
              type: pubsub.blind
              version: v1
              metadata: []
            """);
        var factory = new BlindTransportFactory();
        var unsupported = new UnsupportedLogged();
        await using var server = await ScalerServer.StartAsync(
            new ScalerOptions { ResourcesPaths = [_dir.Path] },
            services => services.AddSingleton<IComponentFactory>(factory).AddLogging(b => b.AddProvider(unsupported)));
        var reference = ScalerServer.Ref("so-blind", "blind");

        Assert.Single((await server.Client.GetMetricSpecAsync(reference)).MetricSpecs);
        // The poller logs the transport unsupported once it marked it so.
        await unsupported.Signal.WaitAsync(TimeSpan.FromSeconds(10));
        var error = await Assert.ThrowsAsync<RpcException>(async () => await server.Client.IsActiveAsync(reference));
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("'blind' (pubsub.blind) cannot report queue depths", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetMetricSpec_TwoTransportsNoComponentKey_InvalidArgumentListingThem()
    {
        await File.WriteAllTextAsync(_dir.Combine("two.yaml"), $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: local-a
            spec:
              type: pubsub.sqlite
              version: v1
              metadata:
              - name: connectionString
                value: "{_dir.Combine("a.db")}"
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: local-b
            spec:
              type: pubsub.sqlite
              version: v1
              metadata:
              - name: connectionString
                value: "{_dir.Combine("b.db")}"
            """);
        await using var server = await ScalerServer.StartAsync(new ScalerOptions { ResourcesPaths = [_dir.Path] });

        var error = await Assert.ThrowsAsync<RpcException>(async () => await server.Client.GetMetricSpecAsync(ScalerServer.Ref("so-two", "two")));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("'component' is required", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("local-a, local-b", error.Status.Detail, StringComparison.Ordinal);

        var chosen = ScalerServer.Ref("so-two-b", "two", ("component", "local-b"));
        Assert.Equal(0, await server.MetricAsync(chosen));
    }

    /// <summary>Fires on the poller's TransportUnsupported warning (event id 4).</summary>
    private sealed class UnsupportedLogged : ILoggerProvider, ILogger
    {
        public WaitSignal Signal { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == 4 && eventId.Name == "TransportUnsupported")
            {
                Signal.Pulse();
            }
        }

        public void Dispose()
        {
        }
    }

    private sealed class BlindTransportFactory : IComponentFactory
    {
        public IReadOnlyList<string> Types { get; } = ["pubsub.blind"];

        public string Version => "v1";

        public IReadOnlyCollection<string> MetadataKeys { get; } = [];

        /// <summary>Fires when a transport this factory made is disposed.</summary>
        public WaitSignal Disposed { get; } = new();

        public IComponent Create(IServiceProvider services) => new BlindTransport(Disposed);
    }

    /// <summary>A transport with no depth capability.</summary>
    private sealed class BlindTransport(WaitSignal disposed) : ITransport
    {
        public ValueTask InitAsync(ComponentSpec spec, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask<IReadOnlyList<TransportMessage>> ReceiveAsync(string queue, ReceiveOptions options, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public ValueTask SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask AckAsync(TransportMessage message, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask NackAsync(TransportMessage message, TimeSpan delay, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask DisposeAsync()
        {
            disposed.Pulse();
            return ValueTask.CompletedTask;
        }
    }
}
