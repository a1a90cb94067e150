using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Asya.Bench.Brokers;

namespace Asya.Bench;

/// <summary>
/// The cost of a dead gateway: the in-process mesh hop with plain envelopes, then with envelopes whose
/// <c>x-asya-gateway-url</c> names a listener that accepts connections and never answers (the worst case: every call
/// waits for its timeout, unlike a refused connection).
/// </summary>
internal static class GatewayHopScenario
{
    public const string WithoutName = "mesh hop, no gateway";
    public const string SilentName = "mesh hop, silent gateway";

    public static async Task<IReadOnlyList<ScenarioResult>> RunAsync(BenchOptions options, IBrokerBench broker)
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(backlog: 1024);
        using var stop = new CancellationTokenSource();
        var held = new List<TcpClient>();
        var accepting = AcceptForeverAsync(silent, held, stop.Token);
        try
        {
            var url = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
            var without = await MeshHopScenario.RunAsync(options, broker, name: WithoutName);
            var with = await MeshHopScenario.RunAsync(options, broker, gatewayUrl: url, name: SilentName);
            return [.. without, .. with];
        }
        finally
        {
            await stop.CancelAsync();
            silent.Stop();
            await accepting;
            held.ForEach(c => c.Dispose());
        }
    }

    /// <summary>The silent gateway's throughput as a share of the plain hop's (goal ≥ 95 %).</summary>
    public static void PrintRatio(IReadOnlyDictionary<string, double> medianRates, TextWriter output)
    {
        if (medianRates.TryGetValue(WithoutName, out var without) && medianRates.TryGetValue(SilentName, out var with))
        {
            output.WriteLine();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{SilentName} / {WithoutName}: throughput {with / without:P1}"));
        }
    }

    private static async Task AcceptForeverAsync(TcpListener listener, List<TcpClient> held, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                held.Add(await listener.AcceptTcpClientAsync(cancellationToken));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
