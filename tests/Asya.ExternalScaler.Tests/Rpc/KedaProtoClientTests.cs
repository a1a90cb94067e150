using Asya.Components;
using Asya.ExternalScaler.Configuration;
using Asya.ExternalScaler.Tests.Infrastructure;
using Asya.Testing;
using Keda.ExternalScalerWire;

namespace Asya.ExternalScaler.Tests.Rpc;

/// <summary>A client generated from KEDA's form of externalscaler.proto, not ours, talking to the scaler.</summary>
public sealed class KedaProtoClientTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private ScalerServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await ScalerServer.StartAsync(new ScalerOptions { DataDirectory = _dir.Path, PollInterval = TimeSpan.FromMilliseconds(50) });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task KedaClient_EveryRpc_CorrectAnswers()
    {
        var keda = new Keda.ExternalScalerWire.ExternalScaler.ExternalScalerClient(_server.Channel);
        var reference = new ScaledObjectRef { Name = "orders", Namespace = "shop" };
        reference.ScalerMetadata.Add("scalerAddress", "asya-external-scaler.asya:9090");
        reference.ScalerMetadata.Add("actor", "orders");
        reference.ScalerMetadata.Add("targetQueueLength", "2");

        var spec = Assert.Single((await keda.GetMetricSpecAsync(reference)).MetricSpecs);
        Assert.Equal(("asya-shop-orders", 2L, 2.0), (spec.MetricName, spec.TargetSize, spec.TargetSizeFloat));

        using var pushed = keda.StreamIsActive(reference);
        using var specs = keda.StreamMetricSpec(reference);
        Assert.True(await specs.ResponseStream.MoveNext(default));
        Assert.Equal(spec, Assert.Single(specs.ResponseStream.Current.MetricSpecs));

        var request = new GetMetricsRequest { ScaledObjectRef = reference, MetricName = spec.MetricName };
        var empty = Assert.Single((await keda.GetMetricsAsync(request)).MetricValues);
        Assert.Equal((0L, 0.0), (empty.MetricValue_, empty.MetricValueFloat));
        Assert.False((await keda.IsActiveAsync(reference)).Result);

        await using var queue = await MeshQueue.OpenAsync(EmbeddedComponents.Transport(_dir.Path), "asya-shop-orders");
        await queue.SendAsync(5);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.True(await pushed.ResponseStream.MoveNext(timeout.Token));
        Assert.True(pushed.ResponseStream.Current.Result);

        await _server.UntilPolledAsync(
            async () => Assert.Single((await keda.GetMetricsAsync(request)).MetricValues).MetricValueFloat == 5,
            () => "metric 5 through KEDA's client");
        var value = Assert.Single((await keda.GetMetricsAsync(request)).MetricValues);
        Assert.Equal(5L, value.MetricValue_);
        Assert.True((await keda.IsActiveAsync(reference)).Result);
    }
}
