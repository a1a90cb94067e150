using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Asya.Components;
using Asya.Components.Abstractions;
using Asya.ExternalScaler.Configuration;
using Asya.ExternalScaler.Depth;
using Asya.ExternalScaler.Hosting;
using Asya.ExternalScaler.Protocol;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Asya.Bench.Scaler;

/// <summary>
/// Runs the real scaler in-process on Kestrel and calls it over one HTTP/2 connection, as KEDA does:
/// GetMetrics latency (client-measured, sequential) over N ScaledObjects each on its own queue, the broker calls
/// the pollers made per interval meanwhile, and the time from the first message in an empty queue to the pushed true.
/// </summary>
internal static class ScalerBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var counts = Arg(args, "--scaled-objects", "10,100,1000").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        var runs = int.Parse(Arg(args, "--runs", "3"), CultureInfo.InvariantCulture);
        var calls = int.Parse(Arg(args, "--calls", "20000"), CultureInfo.InvariantCulture);
        var pushes = int.Parse(Arg(args, "--pushes", "5"), CultureInfo.InvariantCulture);
        var redis = Environment.GetEnvironmentVariable("ASYA_TEST_REDIS");
        var rabbitmq = Environment.GetEnvironmentVariable("ASYA_TEST_RABBITMQ");
        var rabbitmqManagement = Environment.GetEnvironmentVariable("ASYA_TEST_RABBITMQ_MANAGEMENT") is { Length: > 0 } management
            ? management
            : "http://127.0.0.1:15672";

        var root = Path.Combine(Path.GetTempPath(), "asya-scbench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try
        {
            var targets = new List<BenchTarget> { BenchTarget.Sqlite(Path.Combine(root, "data")) };
            if (!string.IsNullOrEmpty(redis))
            {
                targets.Add(BenchTarget.Redis(redis));
            }

            if (!string.IsNullOrEmpty(rabbitmq))
            {
                targets.Add(BenchTarget.RabbitMq(rabbitmq, rabbitmqManagement));
            }

            Console.WriteLine($"External scaler bench: at least {calls} GetMetrics (and 3 s) per run, {pushes} push activations per run, medians of {runs} runs");
            Console.WriteLine();
            Console.WriteLine("| transport | ScaledObjects | GetMetrics p50 (µs) | GetMetrics p99 (µs) | broker calls / interval | queues per call | push true after first message (ms) |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var target in targets)
            {
                foreach (var count in counts)
                {
                    var results = new List<ScenarioResult>();
                    for (var run = 0; run < runs; run++)
                    {
                        results.Add(await RunScenarioAsync(target, count, calls, pushes, Path.Combine(root, $"{target.Name}-{count}-{run}")));
                    }

                    Console.WriteLine(
                        $"| {target.Name} | {count} | {Median(results, r => r.P50Micros):0} | {Median(results, r => r.P99Micros):0} | " +
                        $"{Median(results, r => r.BrokerCallsPerInterval):0.00} | {results[0].QueuesPerCall} | {Median(results, r => r.PushMillis):0.0} |");
                }
            }

            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<ScenarioResult> RunScenarioAsync(BenchTarget target, int count, int calls, int pushes, string folder)
    {
        Directory.CreateDirectory(folder);
        var options = new ScalerOptions
        {
            GrpcAddress = $"127.0.0.1:{FreePort()}",
            MetricsAddress = null,
            LogLevel = "warn",
            DataDirectory = target.Spec.Type == "pubsub.sqlite" ? Path.GetDirectoryName(target.Spec.Metadata["connectionString"])! : folder,
        };
        if (target.Manifest is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "transport.yaml"), target.Manifest);
            options = options with { ResourcesPaths = [folder] };
        }

        var ns = "b" + Guid.NewGuid().ToString("N")[..8];
        await using var app = ScalerHost.Build(options);
        await app.StartAsync();
        using var channel = GrpcChannel.ForAddress($"http://{options.GrpcAddress}", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false },
        });
        var client = new ExternalScaler.Protocol.ExternalScaler.ExternalScalerClient(channel);
        await using var sender = await Sender.OpenAsync(target.Spec);
        try
        {
            var requests = Enumerable.Range(0, count).Select(i => Request(ns, $"actor-{i}")).ToArray();
            foreach (var request in requests)
            {
                await client.GetMetricsAsync(request);
            }

            // Warm-up (JIT, connection windows), then measure; keep calling for at least 3 s so the poll count means something.
            for (var i = 0; i < Math.Min(calls, 2000); i++)
            {
                await client.GetMetricsAsync(requests[i % count]);
            }

            var poller = app.Services.GetRequiredService<DepthEngine>().Pollers.Values.Single();
            var pollsBefore = poller.Polls;
            var started = Stopwatch.GetTimestamp();
            var latencies = new List<double>(calls);
            for (var i = 0; i < calls || Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(3); i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                await client.GetMetricsAsync(requests[i % count]);
                latencies.Add(Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            var callsPerInterval = (poller.Polls - pollsBefore) / (elapsed / poller.Settings.Interval);
            latencies.Sort();

            var pushTimes = new List<double>();
            for (var p = 0; p < pushes; p++)
            {
                pushTimes.Add(await PushOnceAsync(client, sender, ns, $"push-{p}"));
            }

            pushTimes.Sort();
            return new ScenarioResult(
                count, Percentile(latencies, 0.50), Percentile(latencies, 0.99), callsPerInterval, poller.QueueCount, pushTimes[pushTimes.Count / 2]);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    /// <summary>Opens a push stream on an empty queue, sends one message and times the pushed true.</summary>
    private static async Task<double> PushOnceAsync(ExternalScaler.Protocol.ExternalScaler.ExternalScalerClient client, Sender sender, string ns, string actor)
    {
        var request = Request(ns, actor);
        await sender.EnsureAsync($"asya-{ns}-{actor}");
        await client.GetMetricsAsync(request);
        using var stream = client.StreamIsActive(request.ScaledObjectRef);
        // The stream is registered once the server has seen it; a unary call on the same connection after it orders that.
        await client.GetMetricsAsync(request);
        var started = Stopwatch.GetTimestamp();
        await sender.SendAsync($"asya-{ns}-{actor}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        if (!await stream.ResponseStream.MoveNext(timeout.Token) || !stream.ResponseStream.Current.Result)
        {
            throw new InvalidOperationException($"no push for {actor}");
        }

        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static GetMetricsRequest Request(string ns, string actor)
    {
        var reference = new ScaledObjectRef { Name = "so-" + actor, Namespace = ns };
        reference.ScalerMetadata.Add("scalerAddress", "asya-external-scaler:9090");
        reference.ScalerMetadata.Add("actor", actor);
        return new GetMetricsRequest { ScaledObjectRef = reference, MetricName = $"asya-{ns}-{actor}" };
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

    private static double Median(List<ScenarioResult> results, Func<ScenarioResult, double> value)
    {
        var values = results.Select(value).Order().ToArray();
        return values[values.Length / 2];
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Arg(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    /// <summary>Sends like a sidecar would, through the same transport type.</summary>
    private sealed class Sender : IAsyncDisposable
    {
        private readonly ServiceProvider _services;
        private readonly ITransport _transport;

        private Sender(ServiceProvider services, ITransport transport)
        {
            _services = services;
            _transport = transport;
        }

        public static async Task<Sender> OpenAsync(ComponentSpec spec)
        {
            var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddBuiltInComponents().BuildServiceProvider();
            var transport = await LoadedComponents.CreateAsync<ITransport>(services.GetRequiredService<ComponentRegistry>(), services, spec, default);
            return new Sender(services, transport);
        }

        public async Task EnsureAsync(string queue)
        {
            if (_transport is IQueueAdmin admin)
            {
                await admin.EnsureQueueAsync(new QueueSpec(queue), default);
            }
        }

        public async Task SendAsync(string queue) => await _transport.SendAsync(queue, new OutgoingMessage("{}"u8.ToArray()), default);

        public async ValueTask DisposeAsync()
        {
            await _transport.DisposeAsync();
            await _services.DisposeAsync();
        }
    }
}
