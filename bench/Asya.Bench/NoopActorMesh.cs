using System.Diagnostics;
using System.Globalization;
using Asya.Bench.Brokers;
using Asya.Components.Abstractions;

namespace Asya.Bench;

/// <summary>
/// Actor <c>noop</c> on a broker, as the mesh hop and the footprint table run it: a temp folder with the no-op handler
/// and the broker's component manifest, a fresh mesh namespace (so a broker's queues never hold a previous run's
/// envelopes), the bench's own transport on the same component, and the queues deleted on dispose.
/// </summary>
internal sealed class NoopActorMesh : IAsyncDisposable
{
    private readonly BenchFolder _folder;
    private readonly BenchTransport _bench;

    private NoopActorMesh(BenchFolder folder, BenchTransport bench, string meshNamespace)
    {
        _folder = folder;
        _bench = bench;
        Namespace = meshNamespace;
    }

    public string Namespace { get; }

    public string InputQueue => $"asya-{Namespace}-noop";

    public string SinkQueue => $"asya-{Namespace}-x-sink";

    public ITransport Transport => _bench.Transport;

    public static async Task<NoopActorMesh> CreateAsync(IBrokerBench broker)
    {
        var folder = new BenchFolder();
        var component = broker.Component(folder);
        await File.WriteAllTextAsync(Path.Combine(folder.ComponentsDirectory, "transport.yaml"), component.ToManifest());
        Environment.SetEnvironmentVariable("ASYA_HANDLER", BenchFolder.Handler);
        Environment.SetEnvironmentVariable("PYTHONPATH", folder.HandlerDirectory);
        Environment.SetEnvironmentVariable("ASYA_LOG_LEVEL", "warning");
        var mesh = new NoopActorMesh(folder, await BenchTransport.CreateAsync(component, CancellationToken.None), "bench" + Guid.NewGuid().ToString("N")[..6]);
        if (mesh.Transport is IQueueAdmin admin)
        {
            await admin.EnsureQueueAsync(new QueueSpec(mesh.InputQueue), CancellationToken.None);
            await admin.EnsureQueueAsync(new QueueSpec(mesh.SinkQueue), CancellationToken.None);
        }

        return mesh;
    }

    /// <summary>The sidecar's flags for actor <c>noop</c>; <paramref name="metricsAddress"/> <c>off</c> serves no probes.</summary>
    public string[] SidecarFlags(BenchOptions options, string metricsAddress) =>
    [
        "--actor", "noop", "--namespace", Namespace, "--data-dir", _folder.DataDirectory,
        "--resources-path", _folder.ComponentsDirectory,
        "--socket-dir", _folder.SocketDirectory, "--metrics-addr", metricsAddress, "--log-level", "warning",
        "--concurrency", options.Concurrency.ToString(CultureInfo.InvariantCulture),
        "--runtime-command", $"{options.Python} {options.PythonRuntime}",
    ];

    /// <summary>
    /// Starts <see cref="BenchOptions.SidecarDll"/> with <paramref name="flags"/>: under <c>dotnet</c> when it is a
    /// .dll, else as an executable (a NativeAOT build).
    /// </summary>
    public static Process StartSidecarProcess(BenchOptions options, string[] flags)
    {
        var info = options.SidecarDll.EndsWith(".dll", StringComparison.Ordinal)
            ? new ProcessStartInfo("dotnet", [options.SidecarDll, .. flags])
            : new ProcessStartInfo(options.SidecarDll, flags);
        info.UseShellExecute = false;
        info.RedirectStandardError = true;
        var process = Process.Start(info) ?? throw new InvalidOperationException("the sidecar process did not start");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        if (Transport is IQueueAdmin cleanup)
        {
            await cleanup.DeleteQueueAsync(InputQueue, CancellationToken.None);
            await cleanup.DeleteQueueAsync(SinkQueue, CancellationToken.None);
            // The sidecar also ensures x-sump's queue; nothing reaches it, but a shared broker should not keep it.
            await cleanup.DeleteQueueAsync($"asya-{Namespace}-x-sump", CancellationToken.None);
        }

        await _bench.DisposeAsync();
        _folder.Dispose();
    }
}
