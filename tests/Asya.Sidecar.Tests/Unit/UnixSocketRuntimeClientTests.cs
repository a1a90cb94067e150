using System.Text;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Runtime;
using Asya.Sidecar.Tests.Fakes;
using Asya.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Asya.Sidecar.Tests.Unit;

public sealed class UnixSocketRuntimeClientTests
{
    private static readonly byte[] Body = Envelopes.Create("e1", ["a"]).ToUtf8Bytes();
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(20);

    private static async Task<(RuntimeCallResult Result, List<Frame> Frames)> CallAsync(RequestDelegate server, TimeSpan? timeout = null, FrameCallback? onFrame = null)
    {
        using var dir = new TempDirectory();
        var socket = dir.Combine("rt.sock");
        await using var _ = await UnixSocketServer.StartAsync(socket, server);
        using var client = new UnixSocketRuntimeClient(socket, 2, NullLogger<UnixSocketRuntimeClient>.Instance);
        Assert.True(await client.IsHealthyAsync(CancellationToken.None));
        var frames = new List<Frame>();
        var result = await client.InvokeAsync(Body, onFrame ?? ((f, i, ct) => { frames.Add(f); return ValueTask.CompletedTask; }), timeout ?? Long, CancellationToken.None);
        return (result, frames);
    }

    [Fact]
    public async Task Invoke_JsonFrames_EachFrameDelivered()
    {
        var (result, frames) = await CallAsync(ctx =>
        {
            ctx.Response.ContentType = "application/json";
            return ctx.Response.WriteAsync("""{"frames":[{"payload":{"y":2},"route":{"prev":["a"],"curr":"","next":[]}}]}""");
        });
        Assert.Equal(RuntimeCallStatus.Completed, result.Status);
        Assert.Single(frames);
        Assert.Equal(2, frames[0].Payload.GetProperty("y").GetInt32());
    }

    [Fact]
    public async Task Invoke_204_CompletedWithZeroFrames()
    {
        var (result, frames) = await CallAsync(ctx => { ctx.Response.StatusCode = 204; return Task.CompletedTask; });
        Assert.Equal(RuntimeCallStatus.Completed, result.Status);
        Assert.Equal(0, result.FrameCount);
        Assert.Empty(frames);
    }

    [Fact]
    public async Task Invoke_500_HandlerErrorWithDetails()
    {
        var (result, _) = await CallAsync(ctx =>
        {
            ctx.Response.StatusCode = 500;
            ctx.Response.ContentType = "application/json";
            return ctx.Response.WriteAsync("""{"error":"processing_error","details":{"message":"bad","type":"ValueError","mro":["Exception"],"traceback":"tb"}}""");
        });
        Assert.Equal(RuntimeCallStatus.HandlerError, result.Status);
        Assert.Equal("processing_error", result.ErrorCode);
        Assert.Equal("ValueError", result.Error!.Type);
        Assert.Equal(["Exception"], result.Error.Mro);
    }

    [Fact]
    public async Task Invoke_400_Rejected()
    {
        var (result, _) = await CallAsync(ctx =>
        {
            ctx.Response.StatusCode = 400;
            return ctx.Response.WriteAsync("""{"error":"msg_parsing_error","details":{"message":"bad json"}}""");
        });
        Assert.Equal(RuntimeCallStatus.Rejected, result.Status);
        Assert.Equal("msg_parsing_error", result.ErrorCode);
    }

    [Fact]
    public async Task Invoke_Sse_FramesRoutedBeforeStreamEnds()
    {
        var firstRouted = new WaitSignal();
        var (result, frames) = await CallAsync(
            onFrame: (f, i, ct) =>
            {
                firstRouted.Pulse();
                return ValueTask.CompletedTask;
            },
            server: async ctx =>
            {
                ctx.Response.ContentType = "text/event-stream";
                await ctx.Response.WriteAsync("event: downstream\ndata: {\"payload\":1,\"route\":{\"prev\":[\"a\"],\"curr\":\"\",\"next\":[]}}\n\n");
                await ctx.Response.Body.FlushAsync();
                // The second frame is only written after the sidecar has routed the first one.
                await firstRouted.WaitAsync(TimeSpan.FromSeconds(10));
                await ctx.Response.WriteAsync("event: upstream\ndata: {\"payload\":{\"p\":1}}\n\nevent: mystery\ndata: x\n\n");
                await ctx.Response.WriteAsync("event: downstream\ndata: {\"payload\":2,\n");
                await ctx.Response.WriteAsync("data: \"route\":{\"prev\":[\"a\"],\"curr\":\"\",\"next\":[]}}\n\nevent: done\ndata: {}\n\n");
            });
        Assert.Equal(RuntimeCallStatus.Completed, result.Status);
        Assert.Equal(1, result.UpstreamEvents);
        Assert.Equal(2, result.FrameCount);
        Assert.Empty(frames);
    }

    [Fact]
    public async Task Invoke_SseUpstreamEvents_ForwardedInStreamOrderBetweenFrames()
    {
        using var dir = new TempDirectory();
        var socket = dir.Combine("rt.sock");
        await using var server = await UnixSocketServer.StartAsync(socket, async ctx =>
        {
            ctx.Response.ContentType = "text/event-stream";
            await ctx.Response.WriteAsync("event: upstream\ndata: {\"payload\":{\"t\":\"a\"}}\n\nevent: upstream\ndata: {\"payload\":{\"t\":\"b\"}}\n\n");
            await ctx.Response.WriteAsync("event: downstream\ndata: {\"payload\":1,\"route\":{\"prev\":[\"a\"],\"curr\":\"\",\"next\":[]}}\n\n");
            await ctx.Response.WriteAsync("event: upstream\ndata: {\"payload\":{\"t\":\"c\"}}\n\nevent: done\ndata: {}\n\n");
        });
        using var client = new UnixSocketRuntimeClient(socket, 2, NullLogger<UnixSocketRuntimeClient>.Instance);
        var seen = new List<string>();

        var result = await client.InvokeAsync(
            Body, (f, i, ct) => { seen.Add("frame"); return ValueTask.CompletedTask; }, Long, CancellationToken.None, data => seen.Add(data));

        Assert.Equal(3, result.UpstreamEvents);
        Assert.Equal(["""{"payload":{"t":"a"}}""", """{"payload":{"t":"b"}}""", "frame", """{"payload":{"t":"c"}}"""], seen);
    }

    [Fact]
    public async Task Invoke_SseError_HandlerErrorAfterEarlierFrames()
    {
        var (result, frames) = await CallAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/event-stream";
            await ctx.Response.WriteAsync("event: downstream\ndata: {\"payload\":1,\"route\":{\"prev\":[\"a\"],\"curr\":\"\",\"next\":[]}}\n\n");
            await ctx.Response.WriteAsync("event: error\ndata: {\"error\":\"processing_error\",\"details\":{\"message\":\"m\",\"type\":\"KeyError\",\"mro\":[\"LookupError\",\"Exception\"],\"traceback\":\"\"}}\n\nevent: done\ndata: {}\n\n");
        });
        Assert.Equal(RuntimeCallStatus.HandlerError, result.Status);
        Assert.Equal("KeyError", result.Error!.Type);
        Assert.Single(frames);
    }

    [Fact]
    public async Task Invoke_SlowHandler_TimedOut()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (result, _) = await CallAsync(async ctx => await release.Task.WaitAsync(TimeSpan.FromSeconds(10), ctx.RequestAborted), TimeSpan.FromMilliseconds(200));
        release.TrySetResult();
        Assert.Equal(RuntimeCallStatus.TimedOut, result.Status);
    }

    [Fact]
    public async Task Invoke_NoSocket_Unreachable()
    {
        using var dir = new TempDirectory();
        using var client = new UnixSocketRuntimeClient(dir.Combine("missing.sock"), 1, NullLogger<UnixSocketRuntimeClient>.Instance);
        Assert.False(await client.IsHealthyAsync(CancellationToken.None));
        var result = await client.InvokeAsync(Body, (_, _, _) => ValueTask.CompletedTask, Long, CancellationToken.None);
        Assert.Equal(RuntimeCallStatus.Unreachable, result.Status);
    }

    [Fact]
    public async Task Invoke_ReusedConnectionDropsAfterWholeEnvelopeArrived_BrokenAndNeverSentAgain()
    {
        // The runtime read the whole envelope (its handler may have started), then the connection went down with no
        // answer. HttpClient would silently send it again on a new connection, since the connection was a reused one.
        using var dir = new TempDirectory();
        var socket = dir.Combine("rt.sock");
        var received = 0;
        await using var _ = await UnixSocketServer.StartAsync(socket, async ctx =>
        {
            using var body = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(body);
            if (Interlocked.Increment(ref received) == 1)
            {
                ctx.Abort();
                return;
            }

            ctx.Response.StatusCode = 204;
        });
        using var client = new UnixSocketRuntimeClient(socket, 1, NullLogger<UnixSocketRuntimeClient>.Instance);
        Assert.True(await client.IsHealthyAsync(CancellationToken.None)); // the invoke below reuses this connection

        var result = await client.InvokeAsync(Body, (_, _, _) => ValueTask.CompletedTask, Long, CancellationToken.None);

        Assert.Equal(RuntimeCallStatus.Broken, result.Status);
        Assert.Equal(1, received);
    }

    [Fact]
    public async Task Invoke_RuntimeGoneBetweenCalls_UnreachableNotBroken()
    {
        // A pooled connection to a runtime process that is gone: the envelope never reached a runtime.
        using var dir = new TempDirectory();
        var socket = dir.Combine("rt.sock");
        var server = await UnixSocketServer.StartAsync(socket, ctx =>
        {
            ctx.Response.StatusCode = 204;
            return Task.CompletedTask;
        });
        using var client = new UnixSocketRuntimeClient(socket, 1, NullLogger<UnixSocketRuntimeClient>.Instance);
        Assert.Equal(RuntimeCallStatus.Completed, (await client.InvokeAsync(Body, (_, _, _) => ValueTask.CompletedTask, Long, CancellationToken.None)).Status);
        await server.DisposeAsync();

        var result = await client.InvokeAsync(Body, (_, _, _) => ValueTask.CompletedTask, Long, CancellationToken.None);

        Assert.Equal(RuntimeCallStatus.Unreachable, result.Status);
    }

    [Fact]
    public async Task Invoke_ServerClosesAfterEachResponse_NextCallStillWorks()
    {
        using var dir = new TempDirectory();
        var socket = dir.Combine("rt.sock");
        await using var _ = await UnixSocketServer.StartAsync(socket, ctx =>
        {
            ctx.Response.Headers.Connection = "close";
            ctx.Response.StatusCode = 204;
            return Task.CompletedTask;
        });
        using var client = new UnixSocketRuntimeClient(socket, 1, NullLogger<UnixSocketRuntimeClient>.Instance);
        for (var i = 0; i < 3; i++)
        {
            var result = await client.InvokeAsync(Body, (_, _, _) => ValueTask.CompletedTask, Long, CancellationToken.None);
            Assert.Equal(RuntimeCallStatus.Completed, result.Status);
        }
    }

    [Fact]
    public async Task Invoke_SseEventAbove16MiB_HandlerErrorNamingLimit()
    {
        var (result, frames) = await CallAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/event-stream";
            await ctx.Response.WriteAsync("event: downstream\ndata: {\"payload\":\"");
            var chunk = new string('x', 1024 * 1024);
            for (var i = 0; i < 17; i++)
            {
                await ctx.Response.WriteAsync(chunk);
            }

            await ctx.Response.WriteAsync("\"}\n\nevent: done\ndata: {}\n\n");
        });
        Assert.Equal(RuntimeCallStatus.HandlerError, result.Status);
        Assert.Equal("asya.RuntimeProtocolError", result.Error!.Type);
        Assert.Contains("16 MiB", result.Error.Message, StringComparison.Ordinal);
        Assert.Empty(frames);
    }

    [Fact]
    public async Task Invoke_RuntimeClosesAfterEachResponse_SequentialCallsSucceed()
    {
        // Upstream's runtime answers HTTP/1.0-style and closes the connection after every response.
        using var dir = new TempDirectory();
        var socket = dir.Combine("rt.sock");
        var calls = 0;
        await using var _ = await UnixSocketServer.StartAsync(socket, async ctx =>
        {
            Interlocked.Increment(ref calls);
            ctx.Response.Headers.Connection = "close";
            ctx.Response.ContentType = "text/event-stream";
            await ctx.Response.WriteAsync("event: downstream\ndata: {\"payload\":1,\"route\":{\"prev\":[\"a\"],\"curr\":\"\",\"next\":[]}}\n\nevent: done\ndata: {}\n\n");
        });
        using var client = new UnixSocketRuntimeClient(socket, 1, NullLogger<UnixSocketRuntimeClient>.Instance);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await client.IsHealthyAsync(CancellationToken.None));
            var result = await client.InvokeAsync(Body, (f, n, ct) => ValueTask.CompletedTask, Long, CancellationToken.None);
            Assert.Equal(RuntimeCallStatus.Completed, result.Status);
            Assert.Equal(1, result.FrameCount);
        }

        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task Invoke_HandlerConcurrencyOne_SecondCallReachesRuntimeOnlyWhileFirstRoutesItsFrames()
    {
        // The first call's frame callback blocks (a broker confirm that has not come back). The second call must still
        // reach the runtime then, since the runtime has answered; but never while the first is at the runtime.
        using var dir = new TempDirectory();
        var socket = dir.Combine("rt.sock");
        var atRuntime = 0;
        var maxAtRuntime = 0;
        var calls = 0;
        await using var _ = await UnixSocketServer.StartAsync(socket, async ctx =>
        {
            var now = Interlocked.Increment(ref atRuntime);
            InterlockedMax(ref maxAtRuntime, now);
            Interlocked.Increment(ref calls);
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync("""{"frames":[{"payload":{"y":2},"route":{"prev":["a"],"curr":"","next":[]}}]}""");
            Interlocked.Decrement(ref atRuntime);
        });
        using var client = new UnixSocketRuntimeClient(socket, 4, NullLogger<UnixSocketRuntimeClient>.Instance, handlerConcurrency: 1);
        var firstRouting = new WaitSignal();
        using var releaseFirst = new SemaphoreSlim(0);

        var first = client.InvokeAsync(Body, async (f, i, ct) => { firstRouting.Pulse(); await releaseFirst.WaitAsync(ct); }, Long, CancellationToken.None);
        await firstRouting.WaitAsync(Long);
        using var deadline = new CancellationTokenSource(Long);
        var second = await client.InvokeAsync(Body, (f, i, ct) => ValueTask.CompletedTask, Long, deadline.Token);
        releaseFirst.Release();

        Assert.Equal(RuntimeCallStatus.Completed, second.Status);
        Assert.Equal(RuntimeCallStatus.Completed, (await first).Status);
        Assert.Equal(2, calls);
        Assert.Equal(1, maxAtRuntime);
    }

    [Fact]
    public async Task Invoke_HandlerConcurrencyOne_CallsNeverOverlapAtTheRuntime()
    {
        using var dir = new TempDirectory();
        var socket = dir.Combine("rt.sock");
        var atRuntime = 0;
        var maxAtRuntime = 0;
        await using var _ = await UnixSocketServer.StartAsync(socket, async ctx =>
        {
            InterlockedMax(ref maxAtRuntime, Interlocked.Increment(ref atRuntime));
            await Task.Yield();
            ctx.Response.StatusCode = 204;
            Interlocked.Decrement(ref atRuntime);
        });
        using var client = new UnixSocketRuntimeClient(socket, 8, NullLogger<UnixSocketRuntimeClient>.Instance, handlerConcurrency: 1);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ =>
            client.InvokeAsync(Body, (f, i, ct) => ValueTask.CompletedTask, Long, CancellationToken.None)));

        Assert.All(results, r => Assert.Equal(RuntimeCallStatus.Completed, r.Status));
        Assert.Equal(1, maxAtRuntime);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
