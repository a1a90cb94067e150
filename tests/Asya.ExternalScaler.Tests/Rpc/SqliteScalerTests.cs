using Asya.Components;
using Asya.ExternalScaler.Configuration;
using Asya.ExternalScaler.Protocol;
using Asya.ExternalScaler.Tests.Infrastructure;
using Asya.Testing;
using Grpc.Core;

namespace Asya.ExternalScaler.Tests.Rpc;

/// <summary>The scaler over the embedded SQLite transport (its default), driven by a real gRPC client.</summary>
public sealed class SqliteScalerTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private ScalerServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await ScalerServer.StartAsync(new ScalerOptions { DataDirectory = _dir.Path, PollInterval = TimeSpan.FromMilliseconds(50) });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    private Task<MeshQueue> QueueAsync(string actor) => MeshQueue.OpenAsync(EmbeddedComponents.Transport(_dir.Path), $"asya-test-{actor}");

    [Fact]
    public async Task GetMetrics_SendsThenReceiveAndAck_FollowsQueueDepthWithInFlightCounted()
    {
        await using var queue = await QueueAsync("follow");
        var reference = ScalerServer.Ref("so-follow", "follow");
        Assert.Equal(0, await _server.MetricAsync(reference));

        await queue.SendAsync(3);
        await _server.WaitMetricAsync(reference, 3);

        var held = await queue.ReceiveAsync();
        await _server.WaitMetricAsync(reference, 3);
        Assert.True((await _server.Client.IsActiveAsync(reference)).Result);

        await queue.Transport.AckAsync(held, default);
        await _server.WaitMetricAsync(reference, 2);
        await queue.DrainAsync(2);
        await _server.WaitMetricAsync(reference, 0);
        Assert.False((await _server.Client.IsActiveAsync(reference)).Result);
    }

    [Fact]
    public async Task IsActive_OnlyInFlightWithCountInFlightFalse_MetricZeroButActive()
    {
        await using var queue = await QueueAsync("busy");
        var reference = ScalerServer.Ref("so-busy", "busy", ("countInFlight", "false"));
        await queue.SendAsync(2);
        await _server.WaitMetricAsync(reference, 2);

        await queue.ReceiveAsync();
        await _server.WaitMetricAsync(reference, 1);
        await queue.ReceiveAsync();
        await _server.WaitMetricAsync(reference, 0);

        // Nothing waits, but two messages are being worked on: scaling to zero now would kill them.
        Assert.True((await _server.Client.IsActiveAsync(reference)).Result);
    }

    [Fact]
    public async Task IsActive_ActivationQueueLengthTwo_ActiveOnlyAboveIt()
    {
        await using var queue = await QueueAsync("gate");
        var reference = ScalerServer.Ref("so-gate", "gate", ("activationQueueLength", "2"));
        await queue.SendAsync(2);
        await _server.WaitMetricAsync(reference, 2);
        Assert.False((await _server.Client.IsActiveAsync(reference)).Result);

        await queue.SendAsync();
        await _server.WaitMetricAsync(reference, 3);
        Assert.True((await _server.Client.IsActiveAsync(reference)).Result);
    }

    [Fact]
    public async Task GetMetrics_DelayedMessage_CountedOnlyOnceDue()
    {
        // Sidecar and scaler on one fake clock: "due" is a moment the test chooses, not a race with the machine's speed.
        var time = new TimerWatchingTimeProvider(DateTimeOffset.UtcNow);
        var interval = TimeSpan.FromMilliseconds(50);
        await using var server = await ScalerServer.StartAsync(new ScalerOptions { DataDirectory = _dir.Path, PollInterval = interval }, clock: time);
        await using var queue = await MeshQueue.OpenAsync(EmbeddedComponents.Transport(_dir.Path), "asya-test-later", time);
        var reference = ScalerServer.Ref("so-later", "later");
        await queue.SendAsync(1, TimeSpan.FromHours(1));
        await queue.SendAsync(1, TimeSpan.FromMinutes(10));

        // The queue's first sample is taken after both sends (tracking starts with this call).
        Assert.Equal(0, await server.MetricAsync(reference));

        // A poll a second before the message is due still does not count it; the first poll after does.
        await server.AdvanceToPollAsync(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1), interval);
        Assert.Equal(0, await server.MetricAsync(reference));
        await server.AdvanceToPollAsync(TimeSpan.FromSeconds(2), interval);
        Assert.Equal(1, await server.MetricAsync(reference));
    }

    [Fact]
    public async Task StreamIsActive_EmptyFilledDrainedFilled_PushesTrueOncePerTransition()
    {
        await using var queue = await QueueAsync("push");
        var reference = ScalerServer.Ref("so-push", "push");
        Assert.Equal(0, await _server.MetricAsync(reference));
        using var stream = _server.Client.StreamIsActive(reference);
        var phase = "filled";
        var received = new List<(bool Result, string Phase)>();
        var first = new WaitSignal();
        var second = new WaitSignal();
        var reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in stream.ResponseStream.ReadAllAsync())
                {
                    lock (received)
                    {
                        received.Add((message.Result, Volatile.Read(ref phase)));
                        (received.Count == 1 ? first : second).Pulse();
                    }
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled)
            {
            }
        });

        await queue.SendAsync();
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        await queue.SendAsync(2);
        await _server.WaitMetricAsync(reference, 3);
        Volatile.Write(ref phase, "drained");
        await queue.DrainAsync(3);
        await _server.WaitMetricAsync(reference, 0);
        Volatile.Write(ref phase, "refilled");
        await queue.SendAsync();
        await second.WaitAsync(TimeSpan.FromSeconds(10));

        lock (received)
        {
            Assert.Equal([(true, "filled"), (true, "refilled")], received);
        }

        stream.Dispose();
        await reader.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task StreamIsActive_OpenedOnActiveActor_PushesTrueAtOnce()
    {
        await using var queue = await QueueAsync("warm");
        var reference = ScalerServer.Ref("so-warm", "warm");
        await queue.SendAsync();
        await _server.WaitMetricAsync(reference, 1);

        using var stream = _server.Client.StreamIsActive(reference);
        Assert.True(await stream.ResponseStream.MoveNext(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token));
        Assert.True(stream.ResponseStream.Current.Result);
    }

    [Fact]
    public async Task StreamIsActive_ThreeHundredStreamsOnOneConnection_UnaryCallsAnswerAndAllStreamsFire()
    {
        await using var queue = await QueueAsync("crowd");
        var streams = new List<AsyncServerStreamingCall<IsActiveResponse>>();
        var fired = new WaitSignal(300);
        try
        {
            for (var i = 0; i < 300; i++)
            {
                var stream = _server.Client.StreamIsActive(ScalerServer.Ref($"so-crowd-{i}", "crowd"));
                streams.Add(stream);
                _ = Task.Run(async () =>
                {
                    if (await stream.ResponseStream.MoveNext(default) && stream.ResponseStream.Current.Result)
                    {
                        fired.Pulse();
                    }
                });
            }

            // With Kestrel's default of 100 streams per connection these calls would queue behind the streams forever.
            var reference = ScalerServer.Ref("so-crowd-unary", "crowd");
            var spec = await _server.Client.GetMetricSpecAsync(reference, deadline: DateTime.UtcNow.AddSeconds(10));
            Assert.Equal("asya-test-crowd", Assert.Single(spec.MetricSpecs).MetricName);
            Assert.Equal(0, await _server.MetricAsync(reference));

            await queue.SendAsync();
            await fired.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(1, await _server.MetricAsync(reference));
        }
        finally
        {
            foreach (var stream in streams)
            {
                stream.Dispose();
            }
        }
    }

    [Fact]
    public async Task StreamIsActive_ServerShutsDown_StreamEndsWithOk()
    {
        var reference = ScalerServer.Ref("so-bye", "bye");
        using var stream = _server.Client.StreamIsActive(reference);
        using var specs = _server.Client.StreamMetricSpec(reference);
        Assert.True(await specs.ResponseStream.MoveNext(default));
        Assert.Equal("asya-test-bye", Assert.Single(specs.ResponseStream.Current.MetricSpecs).MetricName);
        Assert.Equal(0, await _server.MetricAsync(reference));

        await _server.StopAsync();

        Assert.False(await stream.ResponseStream.MoveNext(default));
        Assert.Equal(StatusCode.OK, stream.GetStatus().StatusCode);
        Assert.False(await specs.ResponseStream.MoveNext(default));
        Assert.Equal(StatusCode.OK, specs.GetStatus().StatusCode);
    }

    [Fact]
    public async Task GetMetricSpec_Defaults_TargetFiveInBothFieldsAndLowerCaseName()
    {
        var response = await _server.Client.GetMetricSpecAsync(ScalerServer.Ref("so-spec", "Spec_Actor"));
        var spec = Assert.Single(response.MetricSpecs);
        Assert.Equal("asya-test-spec-actor", spec.MetricName);
        Assert.Equal(5, spec.TargetSize);
        Assert.Equal(5.0, spec.TargetSizeFloat);
    }

    [Fact]
    public async Task GetMetricSpec_FractionalTarget_FloatExactIntRounded()
    {
        var response = await _server.Client.GetMetricSpecAsync(ScalerServer.Ref("so-frac", "frac", ("targetQueueLength", "2.5")));
        var spec = Assert.Single(response.MetricSpecs);
        Assert.Equal(3, spec.TargetSize);
        Assert.Equal(2.5, spec.TargetSizeFloat);
    }

    [Theory]
    [InlineData("asya-test-names")]
    [InlineData("ASYA-TEST-NAMES")]
    [InlineData("s0-asya-test-names")]
    public async Task GetMetrics_NameVariantsKedaSends_Answered(string metricName)
    {
        var response = await _server.Client.GetMetricsAsync(new GetMetricsRequest
        {
            ScaledObjectRef = ScalerServer.Ref("so-names", "names"),
            MetricName = metricName,
        });
        Assert.Equal(0, Assert.Single(response.MetricValues).MetricValue_);
    }

    [Fact]
    public async Task GetMetrics_OtherMetricName_InvalidArgumentNamingMetricName()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await _server.Client.GetMetricsAsync(new GetMetricsRequest
        {
            ScaledObjectRef = ScalerServer.Ref("so-other", "other"),
            MetricName = "cpu",
        }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("metricName", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("actor", "", "'actor' is required")]
    [InlineData("actor", "bad/name", "'actor'")]
    [InlineData("namespace", "no spaces", "'namespace'")]
    [InlineData("targetQueueLength", "abc", "'targetQueueLength': 'abc' is not a number")]
    [InlineData("targetQueueLength", "0", "'targetQueueLength': '0' must be greater than zero")]
    [InlineData("activationQueueLength", "-1", "'activationQueueLength'")]
    [InlineData("countInFlight", "maybe", "'countInFlight': 'maybe' is not a boolean")]
    [InlineData("component", "rabbit", "no transport component named 'rabbit'")]
    public async Task AllRpcs_BadMetadata_InvalidArgumentNamingTheKey(string key, string value, string expected)
    {
        var reference = ScalerServer.Ref("so-bad-" + key, "bad", (key, value));
        Func<Task>[] calls =
        [
            async () => await _server.Client.GetMetricSpecAsync(reference),
            async () => await _server.Client.IsActiveAsync(reference),
            async () => await _server.Client.GetMetricsAsync(new GetMetricsRequest { ScaledObjectRef = reference, MetricName = "asya-test-bad" }),
            async () =>
            {
                using var stream = _server.Client.StreamIsActive(reference);
                await stream.ResponseStream.MoveNext(default);
            },
        ];
        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Contains(expected, error.Status.Detail, StringComparison.Ordinal);
            Assert.Equal(key, error.Trailers.GetValue("asya-invalid-key"));
        }
    }

    [Fact]
    public async Task GetMetricSpec_MetadataEdited_ParsedAgain()
    {
        var reference = ScalerServer.Ref("so-edit", "edit", ("targetQueueLength", "7"));
        Assert.Equal(7, Assert.Single((await _server.Client.GetMetricSpecAsync(reference)).MetricSpecs).TargetSize);
        reference.ScalerMetadata["targetQueueLength"] = "9";
        Assert.Equal(9, Assert.Single((await _server.Client.GetMetricSpecAsync(reference)).MetricSpecs).TargetSize);
        reference.ScalerMetadata["targetQueueLength"] = "nine";
        var error = await Assert.ThrowsAsync<RpcException>(async () => await _server.Client.GetMetricSpecAsync(reference));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task Metrics_AfterCalls_ExposesCallsPollsAndCacheAge()
    {
        var reference = ScalerServer.Ref("so-scrape", "scrape");
        Assert.Equal(0, await _server.MetricAsync(reference));
        var text = await _server.ScrapeAsync();
        Assert.Contains("asya_scaler_calls_total{code=\"OK\",method=\"GetMetrics\"}", text, StringComparison.Ordinal);
        Assert.Contains("asya_scaler_call_duration_seconds_bucket{method=\"GetMetrics\",le=\"0.001\"}", text, StringComparison.Ordinal);
        Assert.Contains("asya_scaler_broker_polls_total{component=\"asya-embedded-pubsub\",outcome=\"ok\"}", text, StringComparison.Ordinal);
        Assert.Contains("asya_scaler_cache_age_seconds{component=\"asya-embedded-pubsub\",queue=\"asya-test-scrape\"}", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_Check_Serving()
    {
        var health = new Grpc.Health.V1.Health.HealthClient(_server.Channel);
        var response = await health.CheckAsync(new Grpc.Health.V1.HealthCheckRequest());
        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }
}
