using System.Globalization;
using Asya.Mesh.Client;

namespace Asya.Bench.Gateway;

/// <summary>
/// A mesh of real processes in a temp folder on the embedded SQLite transport: <c>asya-gateway</c>, one
/// <c>asya-sidecar</c> (and Python runtime) per actor of <see cref="Actors"/>, and the crew x-sink and x-sump.
/// Actors a1, a2, a3 return their payload; actor <c>fly</c> yields <c>n</c> FLY events <c>{"i", "t"}</c> (t: the
/// yield's wall clock in ns), <c>pace_ms</c> apart, then returns its payload.
/// </summary>
internal sealed class BenchMesh : IAsyncDisposable
{
    public static readonly string[] Pipeline = ["a1", "a2", "a3"];
    public const string FlyActor = "fly";
    private static readonly (string Actor, string Function)[] Actors = [("a1", "noop"), ("a2", "noop"), ("a3", "noop"), (FlyActor, "fly")];

    private const string Handlers = """
import time


def noop(payload):
    return payload


def fly(payload):
    pace = payload.get("pace_ms", 0) / 1000.0
    for i in range(payload["n"]):
        if pace:
            time.sleep(pace)
        yield ("FLY", {"i": i, "t": time.time_ns()})
    yield payload
""";

    private readonly List<BenchProcess> _processes = [];

    private BenchMesh(string root)
    {
        Root = root;
        Namespace = "gwb" + Guid.NewGuid().ToString("N")[..6];
    }

    public string Root { get; }

    public string DataDirectory => Path.Combine(Root, "data");

    public string Namespace { get; }

    public HttpClient Api { get; } = new() { Timeout = TimeSpan.FromMinutes(2) };

    public string ApiUrl { get; private set; } = "";

    /// <summary>
    /// Starts the gateway (with <paramref name="gatewayArgs"/>) and, unless <paramref name="withActors"/> is false, the
    /// actors' and crew sidecars; returns once each answers <c>/readyz</c>.
    /// </summary>
    public static async Task<BenchMesh> StartAsync(bool withActors, IReadOnlyList<string>? gatewayArgs = null)
    {
        var mesh = new BenchMesh(Path.Combine(Path.GetTempPath(), "asya-gwbench-" + Guid.NewGuid().ToString("N")[..8]));
        try
        {
            Directory.CreateDirectory(mesh.DataDirectory);
            await File.WriteAllTextAsync(Path.Combine(mesh.Root, "bench_gw.py"), Handlers);
            var (api, probe) = (BenchProcess.FreePort(), BenchProcess.FreePort());
            mesh.ApiUrl = BenchProcess.Url(api);
            mesh.Api.BaseAddress = new Uri(mesh.ApiUrl);
            var gateway = mesh.Run(BenchPaths.GatewayDll, [
                "--api-addr", $"127.0.0.1:{api}", "--mesh-addr", $"127.0.0.1:{probe}", "--data-dir", mesh.DataDirectory,
                "--namespace", mesh.Namespace, "--log-level", "warn", .. gatewayArgs ?? [],
            ]);
            var ready = new List<Task> { gateway.WaitReadyAsync(mesh.Api, mesh.ApiUrl, TimeSpan.FromMinutes(1)) };
            if (withActors)
            {
                foreach (var crew in new[] { "x-sink", "x-sump" })
                {
                    ready.Add(mesh.StartSidecarAsync(crew, ["--builtin", crew]));
                }

                foreach (var (actor, function) in Actors)
                {
                    var runtime = $"env ASYA_HANDLER=bench_gw.{function} PYTHONPATH={mesh.Root} python3 {BenchPaths.PythonRuntime}";
                    ready.Add(mesh.StartSidecarAsync(actor, ["--socket-dir", Path.Combine(mesh.Root, "s-" + actor), "--runtime-command", runtime, "--runtime-ready-timeout", "60s"]));
                }
            }

            await Task.WhenAll(ready);
            return mesh;
        }
        catch
        {
            await mesh.DisposeAsync();
            throw;
        }
    }

    /// <summary>The <c>asya send</c> path: the mesh client the CLI uses, on the same data folder.</summary>
    public Task<IMeshClient> ConnectAsync() =>
        MeshConnector.ConnectAsync(new MeshClientOptions { Namespace = Namespace, DataDirectory = DataDirectory }, transportName: null, CancellationToken.None);

    public ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        Api.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }

    private Task StartSidecarAsync(string actor, IReadOnlyList<string> args)
    {
        var probe = BenchProcess.FreePort();
        var sidecar = Run(BenchPaths.SidecarDll, [
            "--actor", actor, "--namespace", Namespace, "--data-dir", DataDirectory, "--log-level", "warn",
            "--metrics-addr", string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{probe}"), .. args,
        ]);
        return sidecar.WaitReadyAsync(Api, BenchProcess.Url(probe), TimeSpan.FromMinutes(2));
    }

    private BenchProcess Run(string dll, IEnumerable<string> args)
    {
        var process = BenchProcess.Start(dll, args);
        _processes.Add(process);
        return process;
    }
}
