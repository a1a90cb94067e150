using System.Text;
using Asya.Components.Resiliency;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Crew;
using Asya.Sidecar.Hosting;
using Asya.Sidecar.Tests.Fakes;
using Asya.Testing;

namespace Asya.Sidecar.Tests.Integration;

/// <summary>
/// In-process sidecars (local mode, real Python runtime) plus the built-in x-sink/x-sump, on one test transport and
/// one result store. Each sidecar runs through <see cref="SidecarProgram"/> exactly as the process does.
/// </summary>
internal sealed class Mesh : IAsyncDisposable
{
    public const string Namespace = "t";
    private static readonly TimeSpan ResultTimeout = TimeSpan.FromSeconds(30);

    private readonly List<(Task<int> Run, CancellationTokenSource Stop)> _sidecars = [];
    private readonly Dictionary<string, ResiliencySettings> _resiliency = new(StringComparer.Ordinal);

    public TempDirectory Dir { get; } = new();

    public TestTransport Transport { get; } = new() { Deliver = true };

    public TestStateStore Store { get; } = new();

    public static async Task<Mesh> StartAsync(params (string Actor, string Handler, ResiliencySettings? Resiliency)[] actors)
    {
        var mesh = new Mesh();
        await File.WriteAllTextAsync(mesh.Dir.Combine(Handlers.Module + ".py"), Handlers.Source);
        mesh.Start("x-sink", ["--builtin", "x-sink"]);
        mesh.Start("x-sump", ["--builtin", "x-sump"]);
        foreach (var (actor, handler, resiliency) in actors)
        {
            mesh._resiliency[actor] = resiliency ?? ResiliencySettings.None;
            var command = $"env ASYA_HANDLER={Handlers.Module}.{handler} PYTHONPATH={mesh.Dir.Path} ASYA_TEST_DIR={mesh.Dir.Path} " +
                $"{RepoPaths.Python} {RepoPaths.PythonRuntime}";
            mesh.Start(actor, ["--socket-dir", mesh.Dir.Combine("s-" + actor), "--runtime-command", command, "--runtime-ready-timeout", "30s"]);
        }

        return mesh;
    }

    private void Start(string actor, string[] extra)
    {
        var stop = new CancellationTokenSource();
        string[] args = ["--actor", actor, "--namespace", Namespace, "--metrics-addr", "off", "--drain-timeout", "2s", "--log-level", "warn", .. extra];
        var run = Task.Run(() => SidecarProgram.RunAsync(args, new Dictionary<string, string>(), CreateComponentsAsync, configure: null, stop.Token));
        _sidecars.Add((run, stop));
    }

    private Task<SidecarComponents> CreateComponentsAsync(Configuration.SidecarOptions options, IServiceProvider services, CancellationToken cancellationToken) =>
        Task.FromResult(new SidecarComponents(Transport, "test", Store, _resiliency.GetValueOrDefault(options.Actor, ResiliencySettings.None))
        {
            Owner = new NoDispose(),
        });

    public static string Queue(string actor) => $"asya-{Namespace}-{actor}";

    public void Send(Envelope envelope) => Transport.Enqueue(Queue(envelope.Route!.Curr), envelope.ToUtf8Bytes());

    public void SendRaw(string actor, byte[] body) => Transport.Enqueue(Queue(actor), body);

    public Task<Envelope> ResultAsync(string id) => WaitEntryAsync(id);

    public Task<Envelope> SumpAsync(string id) => WaitEntryAsync(CrewProcessor.SumpKeyPrefix + id);

    public async Task<Envelope> WaitAsync(Func<Envelope, bool> match, string what) =>
        await Eventually.GetAsync(
            () => Task.FromResult(Store.Entries.Values.Select(v => Envelopes.Parse(v)).FirstOrDefault(match)),
            ResultTimeout,
            what);

    private async Task<Envelope> WaitEntryAsync(string key)
    {
        var bytes = await Eventually.GetAsync(() => Task.FromResult(Store.Entries.GetValueOrDefault(key)), ResultTimeout, $"result-store key '{key}'");
        return Envelopes.Parse(bytes);
    }

    public static string Text(Envelope envelope) => Encoding.UTF8.GetString(envelope.ToUtf8Bytes());

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, stop) in _sidecars)
        {
            await stop.CancelAsync();
        }

        foreach (var (run, stop) in _sidecars)
        {
            var code = await run.WaitAsync(TimeSpan.FromSeconds(30));
            stop.Dispose();
            Assert.Equal(0, code);
        }

        Dir.Dispose();
    }

    private sealed class NoDispose : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
