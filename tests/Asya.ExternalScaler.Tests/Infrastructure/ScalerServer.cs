using System.Diagnostics.Metrics;
using System.Net.Http;
using Asya.ExternalScaler.Configuration;
using Asya.ExternalScaler.Hosting;
using Asya.ExternalScaler.Protocol;
using Asya.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Asya.ExternalScaler.Tests.Infrastructure;

/// <summary>
/// The real scaler on Kestrel (free ports on 127.0.0.1) and a gRPC channel over ONE HTTP/2 connection, as KEDA dials it.
/// </summary>
internal sealed class ScalerServer : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;
    private readonly MeterListener _listener;
    private readonly TimerWatchingTimeProvider? _clock;
    private int _timersAtLastPoll;
    private bool _stopped;

    private ScalerServer(WebApplication app, int grpcPort, int metricsPort, TimerWatchingTimeProvider? clock)
    {
        _app = app;
        _clock = clock;
        GrpcAddress = $"http://127.0.0.1:{grpcPort}";
        MetricsAddress = $"http://127.0.0.1:{metricsPort}";
        Channel = GrpcChannel.ForAddress(GrpcAddress, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false },
        });
        Client = new Protocol.ExternalScaler.ExternalScalerClient(Channel);

        // Every depth poll of a broker ends with one measurement of this counter, after the poll published its samples:
        // the signal that an answer may have changed. Only this server's meters count (tests run servers side by side).
        var meters = app.Services.GetRequiredService<IMeterFactory>();
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "asya_scaler_broker_polls_total" && ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, _, _, _) =>
        {
            // On the poller's thread, before it waits for its next poll on the clock.
            Volatile.Write(ref _timersAtLastPoll, _clock?.TimersCreated ?? 0);
            Polls.Increment();
        });
        _listener.Start();
    }

    public string GrpcAddress { get; }

    public string MetricsAddress { get; }

    public GrpcChannel Channel { get; }

    public Protocol.ExternalScaler.ExternalScalerClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Depth polls of a broker finished so far (ok or failed).</summary>
    public CountSignal Polls { get; } = new();

    /// <param name="clock">A fake clock for the scaler, moved with <see cref="AdvanceToPollAsync"/>; the system clock when null.</param>
    public static async Task<ScalerServer> StartAsync(
        ScalerOptions options, Action<IServiceCollection>? configureServices = null, TimerWatchingTimeProvider? clock = null)
    {
        var grpcPort = FreePort.Next();
        var metricsPort = FreePort.Next();
        var app = ScalerHost.Build(
            options with { GrpcAddress = $"127.0.0.1:{grpcPort}", MetricsAddress = $"127.0.0.1:{metricsPort}", LogLevel = "warn" },
            services =>
            {
                if (clock is not null)
                {
                    services.AddSingleton<TimeProvider>(clock);
                }

                configureServices?.Invoke(services);
            });
        var server = new ScalerServer(app, grpcPort, metricsPort, clock);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public static ScaledObjectRef Ref(string name, string actor, params (string Key, string Value)[] metadata)
    {
        var reference = new ScaledObjectRef { Name = name, Namespace = "test" };
        reference.ScalerMetadata.Add("scalerAddress", "scaler.keda:9090");
        reference.ScalerMetadata.Add("actor", actor);
        foreach (var (key, value) in metadata)
        {
            reference.ScalerMetadata[key] = value;
        }

        return reference;
    }

    public async Task<double> MetricAsync(ScaledObjectRef reference)
    {
        var response = await Client.GetMetricsAsync(
            new GetMetricsRequest { ScaledObjectRef = reference, MetricName = $"asya-{reference.Namespace}-{reference.ScalerMetadata["actor"]}" },
            deadline: DateTime.UtcNow.AddSeconds(10));
        var value = Assert.Single(response.MetricValues);
        Assert.Equal(value.MetricValue_, (long)value.MetricValueFloat);
        return value.MetricValueFloat;
    }

    /// <summary>Waits until the metric is <paramref name="expected"/>, reading it again after each poll of the broker.</summary>
    public async Task WaitMetricAsync(ScaledObjectRef reference, double expected)
    {
        var last = "nothing";
        await UntilPolledAsync(
            async () =>
            {
                try
                {
                    var value = await MetricAsync(reference);
                    last = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return value == expected;
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
                {
                    // A broker that is still coming back; keep waiting, but say so if the deadline passes.
                    last = ex.Status.Detail;
                    return false;
                }
            },
            () => $"metric of {reference.Name} to be {expected}; last answer: {last}");
    }

    /// <summary>
    /// Checks <paramref name="condition"/> now and again after each poll of the broker (only a poll changes what the scaler
    /// answers) until it holds; throws <see cref="TimeoutException"/> naming <paramref name="what"/> after 30 s.
    /// </summary>
    public async Task UntilPolledAsync(Func<Task<bool>> condition, Func<string> what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(what);
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var polls = Polls.Count;
            if (await condition())
            {
                return;
            }

            var remaining = deadline - DateTime.UtcNow;
            try
            {
                await Polls.WaitAsync(polls + 1, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"timed out after {Deadline} waiting for {what()}");
            }
        }
    }

    /// <summary>
    /// Once the poller waits on the fake clock for its next poll, moves the clock by <paramref name="advance"/> (at least
    /// to that poll) and returns when the poll is done.
    /// </summary>
    public async Task AdvanceToPollAsync(TimeSpan advance, TimeSpan pollInterval)
    {
        var clock = _clock ?? throw new InvalidOperationException("the server was started without a fake clock");
        var due = await clock.WaitForTimerAsync(Volatile.Read(ref _timersAtLastPoll), d => d == pollInterval, Deadline);
        var polls = Polls.Count;
        clock.Advance(advance > due ? advance : due);
        await Polls.WaitAsync(polls + 1, Deadline);
    }

    public async Task<string> ScrapeAsync()
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri(MetricsAddress + "/metrics"));
    }

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        Channel.Dispose();
        await StopAsync();
        await _app.DisposeAsync();
    }
}
