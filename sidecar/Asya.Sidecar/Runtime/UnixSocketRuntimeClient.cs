using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Asya.Hosting.Sse;
using Asya.Runtime.Protocol;
using Microsoft.Extensions.Logging;

namespace Asya.Sidecar.Runtime;

/// <summary>
/// HTTP/1.1 client of the runtime over its Unix socket; pooled keep-alive connections, also fine with close-per-response.
/// At most <c>handlerConcurrency</c> calls are at the runtime at once; a call leaves that gate as soon as the runtime
/// has answered, before its frames are routed, so the next envelope runs in the handler while this one's sends wait
/// for the broker's confirms.
/// </summary>
internal sealed class UnixSocketRuntimeClient : IRuntimeClient, IDisposable
{
    private static readonly Uri InvokeUri = new("http://localhost" + RuntimeProtocol.InvokePath);
    private static readonly Uri HealthUri = new("http://localhost" + RuntimeProtocol.HealthPath);
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly HttpClient _http;
    private readonly HttpClient _unpooled;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _handlerGate;
    private readonly Lock _barrierLock = new();
    private TaskCompletionSource _open = Completed();

    // Set once the runtime answered HTTP/1.0 without keep-alive (upstream's http.server does): such a runtime closes every
    // connection after its reply, but HttpClient pools 1.0 connections anyway (and ignores a request's Connection: close),
    // so a call can be written into a connection the runtime is closing: reset after its body left, it must count as "may
    // have run". From then on every call goes through the client that never reuses a connection.
    private volatile bool _closesEveryConnection;

    public UnixSocketRuntimeClient(string socketPath, int maxConnections, ILogger<UnixSocketRuntimeClient> logger, int handlerConcurrency = int.MaxValue)
    {
        _logger = logger;
        _handlerGate = new SemaphoreSlim(Math.Clamp(handlerConcurrency, 1, int.MaxValue));
        _http = CreateClient(socketPath, maxConnections, TimeSpan.FromSeconds(30));
        _unpooled = CreateClient(socketPath, maxConnections, TimeSpan.Zero);
    }

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            // A probe never leaves a pooled connection behind: it comes first, before the runtime's HTTP version is known,
            // and a call must not inherit a connection the runtime is closing.
            using var response = await _unpooled.GetAsync(HealthUri, timeout.Token);
            NoteConnectionPolicy(response);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    public async Task<RuntimeCallResult> InvokeAsync(
        ReadOnlyMemory<byte> envelope, FrameCallback onFrame, TimeSpan timeout, CancellationToken cancellationToken, UpstreamCallback? onUpstream = null)
    {
        ArgumentNullException.ThrowIfNull(onFrame);
        await _handlerGate.WaitAsync(cancellationToken);
        try
        {
            // After a timeout no call may reach the runtime being killed, whichever slot it holds: wait for the new one.
            await WaitBarrierAsync(cancellationToken);
        }
        catch
        {
            _handlerGate.Release();
            throw;
        }

        var gateHeld = true;
        void LeaveGate()
        {
            if (gateHeld)
            {
                gateHeld = false;
                _handlerGate.Release();
            }
        }

        // The timeout starts once the call is at the runtime, not while it waited for the gate.
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        var token = timeoutCts.Token;
        var frames = 0;
        using var content = new OnceContent(envelope, JsonContentType);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, InvokeUri) { Content = content };
            using var response = await (_closesEveryConnection ? _unpooled : _http).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
            NoteConnectionPolicy(response);
            switch (response.StatusCode)
            {
                case HttpStatusCode.NoContent:
                    return new RuntimeCallResult(RuntimeCallStatus.Completed);
                case HttpStatusCode.OK when response.Content.Headers.ContentType?.MediaType == RuntimeProtocol.EventStreamContentType:
                    return await ReadStreamAsync(response, onFrame, onUpstream, token);
                case HttpStatusCode.OK:
                    {
                        var body = await response.Content.ReadAsByteArrayAsync(token);
                        LeaveGate();
                        var batch = JsonSerializer.Deserialize(body, ProtocolJson.Context.InvokeResponse)
                            ?? throw new JsonException("runtime answered null instead of {\"frames\":[...]}");
                        foreach (var frame in batch.Frames)
                        {
                            await onFrame(frame, frames++, cancellationToken);
                        }

                        return new RuntimeCallResult(RuntimeCallStatus.Completed, frames);
                    }

                default:
                    return await ReadErrorAsync(response, token);
            }
        }
        catch (OperationCanceledException) when (timeoutCts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            if (!gateHeld)
            {
                return new RuntimeCallResult(RuntimeCallStatus.TimedOut, frames);
            }

            // Keep this slot and close the barrier: the caller kills the runtime and disposes HeldGate once the next is ready.
            gateHeld = false;
            CloseBarrier();
            return new RuntimeCallResult(RuntimeCallStatus.TimedOut, frames) { HeldGate = new GateRelease(this) };
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException)
        {
            // Not all of the envelope reached a runtime (connect refused, no socket, a pooled connection to a process
            // that is gone): no handler can have started, so calling again is safe. Otherwise the handler may have run.
            var status = content.Delivered ? RuntimeCallStatus.Broken : RuntimeCallStatus.Unreachable;
            return new RuntimeCallResult(status, frames) { Exception = ex };
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            // A runtime that answers garbage (or an oversized SSE event) is broken in a way a retry will not fix:
            // treat it as a handler failure; disposing the unread response drops the connection.
            return new RuntimeCallResult(RuntimeCallStatus.HandlerError, frames)
            {
                ErrorCode = RuntimeErrorCodes.ProcessingError,
                Error = new ErrorDetails
                {
                    Message = ProtocolJson.IsDepthError(ex) ? ProtocolJson.DepthExceeded("the runtime's response") : "invalid runtime response: " + ex.Message,
                    Type = "asya.RuntimeProtocolError",
                },
            };
        }
        finally
        {
            LeaveGate();
        }
    }

    /// <summary>A client over the runtime's socket; a zero <paramref name="pooledLifetime"/> never reuses a connection.</summary>
    private static HttpClient CreateClient(string socketPath, int maxConnections, TimeSpan pooledLifetime)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(1, maxConnections),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionLifetime = pooledLifetime,
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private void NoteConnectionPolicy(HttpResponseMessage response)
    {
        if (response.Version == HttpVersion.Version10
            && !response.Headers.Connection.Contains("keep-alive", StringComparer.OrdinalIgnoreCase))
        {
            _closesEveryConnection = true;
        }
    }

    private async Task<RuntimeCallResult> ReadStreamAsync(HttpResponseMessage response, FrameCallback onFrame, UpstreamCallback? onUpstream, CancellationToken cancellationToken)
    {
        var frames = 0;
        var upstream = 0;
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var sse in SseReader.ReadAsync(stream, cancellationToken))
        {
            switch (sse.Event)
            {
                case RuntimeProtocol.DownstreamEvent:
                    var frame = JsonSerializer.Deserialize(sse.Data, ProtocolJson.Context.Frame)
                        ?? throw new JsonException("downstream event carried null");
                    await onFrame(frame, frames++, cancellationToken);
                    break;
                case RuntimeProtocol.UpstreamEventName:
                    upstream++;
                    onUpstream?.Invoke(sse.Data);
                    break;
                case RuntimeProtocol.ErrorEvent:
                    var error = ParseError(sse.Data);
                    return new RuntimeCallResult(RuntimeCallStatus.HandlerError, frames)
                    {
                        ErrorCode = error.Error.Length > 0 ? error.Error : RuntimeErrorCodes.ProcessingError,
                        Error = error.Details ?? new ErrorDetails { Message = "handler failed", Type = "asya.RuntimeError" },
                        UpstreamEvents = upstream,
                    };
                case RuntimeProtocol.DoneEvent:
                    return new RuntimeCallResult(RuntimeCallStatus.Completed, frames) { UpstreamEvents = upstream };
                default:
                    break;
            }
        }

        if (upstream > 0 && onUpstream is null)
        {
            _logger.UpstreamEventsIgnored(upstream);
        }

        return new RuntimeCallResult(RuntimeCallStatus.Completed, frames) { UpstreamEvents = upstream };
    }

    private static async Task<RuntimeCallResult> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        RuntimeErrorResponse parsed;
        try
        {
            parsed = ParseError(text);
        }
        catch (JsonException)
        {
            parsed = new RuntimeErrorResponse { Error = $"http_{(int)response.StatusCode}" };
        }

        var details = parsed.Details ?? new ErrorDetails
        {
            Message = $"runtime answered HTTP {(int)response.StatusCode}",
            Type = "asya.RuntimeError",
        };
        var status = response.StatusCode == HttpStatusCode.BadRequest ? RuntimeCallStatus.Rejected : RuntimeCallStatus.HandlerError;
        return new RuntimeCallResult(status)
        {
            ErrorCode = parsed.Error.Length > 0 ? parsed.Error : RuntimeErrorCodes.ProcessingError,
            Error = details,
        };
    }

    private static RuntimeErrorResponse ParseError(string json) =>
        string.IsNullOrWhiteSpace(json)
            ? new RuntimeErrorResponse()
            : JsonSerializer.Deserialize(json, ProtocolJson.Context.RuntimeErrorResponse) ?? new RuntimeErrorResponse();

    private async Task WaitBarrierAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource open;
        lock (_barrierLock)
        {
            open = _open;
        }

        await open.Task.WaitAsync(cancellationToken);
    }

    private void CloseBarrier()
    {
        lock (_barrierLock)
        {
            if (_open.Task.IsCompleted)
            {
                _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    private void OpenBarrier()
    {
        lock (_barrierLock)
        {
            _open.TrySetResult();
        }
    }

    private static TaskCompletionSource Completed()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }

    /// <summary>The slot of a timed-out call: released, and the barrier opened, once.</summary>
    private sealed class GateRelease(UnixSocketRuntimeClient client) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                client.OpenBarrier();
                client._handlerGate.Release();
            }
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _unpooled.Dispose();
        _handlerGate.Dispose();
    }
}
