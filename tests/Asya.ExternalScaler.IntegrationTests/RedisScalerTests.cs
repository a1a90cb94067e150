using Asya.Components.Abstractions;
using Asya.ExternalScaler.Configuration;
using Asya.ExternalScaler.Tests.Infrastructure;
using Asya.Testing;
using Grpc.Core;

namespace Asya.ExternalScaler.IntegrationTests;

/// <summary>The scaler over the shared test Redis, through a Dapr <c>pubsub.redis</c> manifest.</summary>
public sealed class RedisScalerTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _ns = "t" + Guid.NewGuid().ToString("N")[..8];
    private ScalerServer _server = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_dir.Combine("redis.yaml"), RedisEnvironment.Manifest("redis-pubsub", RedisEnvironment.Shared.RequireEndpoint()));
        _server = await ScalerServer.StartAsync(new ScalerOptions { ResourcesPaths = [_dir.Path] });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    private Task<MeshQueue> QueueAsync(string actor) =>
        MeshQueue.OpenAsync(RedisEnvironment.Spec("redis-pubsub", RedisEnvironment.Shared.RequireEndpoint()), $"asya-{_ns}-{actor}");

    private Asya.ExternalScaler.Protocol.ScaledObjectRef Ref(string actor, params (string Key, string Value)[] metadata)
    {
        var reference = ScalerServer.Ref("so-" + actor, actor, metadata);
        reference.Namespace = _ns;
        return reference;
    }

    [Fact]
    public async Task GetMetrics_SendsReceiveAck_FollowsDepthWithInFlightCounted()
    {
        await using var queue = await QueueAsync("follow");
        var reference = Ref("follow");
        Assert.Equal(0, await _server.MetricAsync(reference));
        Assert.False((await _server.Client.IsActiveAsync(reference)).Result);

        await queue.SendAsync(3);
        await _server.WaitMetricAsync(reference, 3);
        var held = await queue.ReceiveAsync();
        await _server.WaitMetricAsync(reference, 3);

        var readyOnly = Ref("follow", ("countInFlight", "false"));
        readyOnly.Name = "so-follow-ready";
        await _server.WaitMetricAsync(readyOnly, 2);

        await queue.Transport.AckAsync(held, default);
        await _server.WaitMetricAsync(reference, 2);
        await queue.DrainAsync(2);
        await _server.WaitMetricAsync(reference, 0);
        Assert.False((await _server.Client.IsActiveAsync(reference)).Result);
    }

    [Fact]
    public async Task IsActive_ActivationQueueLengthOne_ActiveFromTheSecondMessage()
    {
        await using var queue = await QueueAsync("gate");
        var reference = Ref("gate", ("activationQueueLength", "1"));
        await queue.SendAsync();
        await _server.WaitMetricAsync(reference, 1);
        Assert.False((await _server.Client.IsActiveAsync(reference)).Result);
        await queue.SendAsync();
        await _server.WaitMetricAsync(reference, 2);
        Assert.True((await _server.Client.IsActiveAsync(reference)).Result);
    }

    [Fact]
    public async Task StreamIsActive_FirstMessage_PushesTrueOnce()
    {
        await using var queue = await QueueAsync("push");
        var reference = Ref("push");
        Assert.Equal(0, await _server.MetricAsync(reference));
        using var stream = _server.Client.StreamIsActive(reference);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await queue.SendAsync();
        Assert.True(await stream.ResponseStream.MoveNext(timeout.Token));
        Assert.True(stream.ResponseStream.Current.Result);

        // More messages keep it active: the next push must wait for a drain and a refill.
        await queue.SendAsync(2);
        await _server.WaitMetricAsync(reference, 3);
        var next = stream.ResponseStream.MoveNext(timeout.Token);
        await queue.DrainAsync(3);
        await _server.WaitMetricAsync(reference, 0);
        Assert.False(next.IsCompleted);
        await queue.SendAsync();
        Assert.True(await next);
        Assert.True(stream.ResponseStream.Current.Result);
    }

    [Fact]
    public async Task GetQueueDepths_SeveralQueues_MatchesOneByOneAndCountsDueDelayedAsReady()
    {
        await using var a = await QueueAsync("batch-a");
        await using var b = await QueueAsync("batch-b");
        await a.SendAsync(2);
        await a.ReceiveAsync();
        await b.SendAsync(1, TimeSpan.FromHours(1));
        await b.SendAsync(1, TimeSpan.FromMilliseconds(200));
        var source = (IQueueDepthSource)a.Transport;

        var depths = await Eventually.GetAsync(
            async () =>
            {
                var all = await source.GetQueueDepthsAsync([a.Name, b.Name, $"asya-{_ns}-missing"], default);
                return all[b.Name].Ready == 1 ? all : null;
            },
            TimeSpan.FromSeconds(10), "the short delay to fall due");

        Assert.Equal(new QueueDepth(1, 1, 0), depths[a.Name]);
        Assert.Equal(new QueueDepth(1, 0, 1), depths[b.Name]);
        Assert.Equal(default, depths[$"asya-{_ns}-missing"]);
        Assert.Equal(depths[a.Name], await source.GetQueueDepthAsync(a.Name, default));
        Assert.Equal(depths[b.Name], await source.GetQueueDepthAsync(b.Name, default));
    }

    [Fact]
    public async Task GetMetrics_MetricNameOfOtherActor_InvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await _server.Client.GetMetricsAsync(
            new Asya.ExternalScaler.Protocol.GetMetricsRequest { ScaledObjectRef = Ref("one"), MetricName = $"asya-{_ns}-two" }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }
}
