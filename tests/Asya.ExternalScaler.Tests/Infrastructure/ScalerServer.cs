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
    private readonly WebApplication _app;
    private bool _stopped;

    private ScalerServer(WebApplication app, int grpcPort, int metricsPort)
    {
        _app = app;
        GrpcAddress = $"http://127.0.0.1:{grpcPort}";
        MetricsAddress = $"http://127.0.0.1:{metricsPort}";
        Channel = GrpcChannel.ForAddress(GrpcAddress, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false },
        });
        Client = new Protocol.ExternalScaler.ExternalScalerClient(Channel);
    }

    public string GrpcAddress { get; }

    public string MetricsAddress { get; }

    public GrpcChannel Channel { get; }

    public Protocol.ExternalScaler.ExternalScalerClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<ScalerServer> StartAsync(ScalerOptions options, Action<IServiceCollection>? configureServices = null)
    {
        var grpcPort = FreePort.Next();
        var metricsPort = FreePort.Next();
        var app = ScalerHost.Build(
            options with { GrpcAddress = $"127.0.0.1:{grpcPort}", MetricsAddress = $"127.0.0.1:{metricsPort}", LogLevel = "warn" },
            configureServices);
        await app.StartAsync();
        return new ScalerServer(app, grpcPort, metricsPort);
    }

    public static ScaledObjectRef Ref(string name, string actor, params (string Key, string Value)[] metadata)
    {
        var reference = new ScaledObjectRef { Name = name, Namespace = "test" };
        reference.ScalerMetadata.Add("scalerAddress", "scaler.keda:6000");
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

    /// <summary>Waits until the metric is <paramref name="expected"/>; <paramref name="beforeEachTry"/> moves a fake clock on.</summary>
    public async Task WaitMetricAsync(ScaledObjectRef reference, double expected, Action? beforeEachTry = null)
    {
        var last = "nothing";
        try
        {
            await Eventually.TrueAsync(
                async () =>
                {
                    beforeEachTry?.Invoke();
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
                TimeSpan.FromSeconds(30),
                $"metric of {reference.Name} to be {expected}");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; last answer: {last}", ex);
        }
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
        Channel.Dispose();
        await StopAsync();
        await _app.DisposeAsync();
    }
}
