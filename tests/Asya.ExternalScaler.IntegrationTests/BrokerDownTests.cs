using Asya.Components.Abstractions;
using Asya.ExternalScaler.Configuration;
using Asya.ExternalScaler.Tests.Infrastructure;
using Asya.Testing;
using Grpc.Core;

namespace Asya.ExternalScaler.IntegrationTests;

/// <summary>A private Redis is stopped and started under the scaler: errors are Unavailable, never 0, and it recovers.</summary>
public sealed class BrokerDownTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task GetMetrics_BrokerDownAtStartAndLater_UnavailableThenRecovers()
    {
        await PrivateRedis.DownAsync();
        await File.WriteAllTextAsync(_dir.Combine("redis.yaml"), RedisEnvironment.Manifest("private-redis", PrivateRedis.Host));
        await using var server = await ScalerServer.StartAsync(new ScalerOptions
        {
            ResourcesPaths = [_dir.Path],
            PollInterval = TimeSpan.FromMilliseconds(50),
            StaleAfter = TimeSpan.FromSeconds(1),
        });
        var reference = ScalerServer.Ref("so-down", "down");
        try
        {
            // Down from the start: the spec still answers (KEDA keeps its HPA and counts failures), depth does not.
            Assert.Single((await server.Client.GetMetricSpecAsync(reference)).MetricSpecs);
            await AssertUnavailableAsync(server, reference);

            await PrivateRedis.UpAsync();
            await using (var queue = await MeshQueue.OpenAsync(RedisEnvironment.Spec("private-redis", PrivateRedis.Host), "asya-test-down"))
            {
                await queue.DrainAsync(await PendingAsync(queue));
                await queue.SendAsync(2);
                await server.WaitMetricAsync(reference, 2);
            }

            await PrivateRedis.DownAsync();
            await AssertUnavailableAsync(server, reference);
            Assert.Single((await server.Client.GetMetricSpecAsync(reference)).MetricSpecs);

            await PrivateRedis.UpAsync();
            await using (var queue = await MeshQueue.OpenAsync(RedisEnvironment.Spec("private-redis", PrivateRedis.Host), "asya-test-down"))
            {
                var depth = await ((IQueueDepthSource)queue.Transport).GetQueueDepthAsync(queue.Name, default);
                await server.WaitMetricAsync(reference, depth.Ready + depth.InFlight);
                Assert.Equal(depth.Ready > 0, (await server.Client.IsActiveAsync(reference)).Result);
            }
        }
        finally
        {
            await PrivateRedis.DownAsync();
        }
    }

    private static async Task<int> PendingAsync(MeshQueue queue) =>
        (int)(await ((IQueueDepthSource)queue.Transport).GetQueueDepthAsync(queue.Name, default)).Ready;

    private static async Task AssertUnavailableAsync(ScalerServer server, Asya.ExternalScaler.Protocol.ScaledObjectRef reference)
    {
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    await server.MetricAsync(reference);
                    return false;
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
                {
                    return true;
                }
            },
            Patience, "GetMetrics to answer Unavailable");
        var error = await Assert.ThrowsAsync<RpcException>(async () => await server.Client.IsActiveAsync(reference));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("private-redis", error.Status.Detail, StringComparison.Ordinal);
    }
}
