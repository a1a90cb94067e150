using System.Text;
using Asya.Components;
using Asya.Components.Abstractions;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Crew;
using Asya.Sidecar.Hosting;
using Asya.Sidecar.Tests.Fakes;
using Asya.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Asya.Sidecar.Tests.Integration;

/// <summary>
/// In-process sidecars (local mode, real Python runtime) plus the built-in x-sink/x-sump, all on the embedded SQLite
/// transport and result store in a temp folder: the production component path, exactly as the process runs it.
/// </summary>
internal sealed class Mesh : IAsyncDisposable
{
    public const string Namespace = "t";
    private static readonly TimeSpan ResultTimeout = TimeSpan.FromSeconds(30);

    private readonly List<(string Actor, Task<int> Run, CancellationTokenSource Stop)> _sidecars = [];
    private readonly ServiceProvider _services;

    private Mesh()
    {
        DataDirectory = Dir.Combine("data");
        _services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddAsyaComponents()
            .AddSqliteComponents()
            .BuildServiceProvider();
    }

    public TempDirectory Dir { get; } = new();

    public string DataDirectory { get; }

    public string Database => Path.Combine(DataDirectory, "asya.db");

    public ITransport Transport { get; private set; } = null!;

    public IStateStore Store { get; private set; } = null!;

    public static async Task<Mesh> StartAsync(params ActorSpec[] actors)
    {
        var mesh = new Mesh();
        await File.WriteAllTextAsync(mesh.Dir.Combine(Handlers.Module + ".py"), Handlers.Source);
        var registry = mesh._services.GetRequiredService<ComponentRegistry>();
        mesh.Transport = await LoadedComponents.CreateAsync<ITransport>(
            registry, mesh._services, ComponentSpec.Create("test-q", "pubsub.sqlite", ("connectionString", mesh.Database)), CancellationToken.None);
        mesh.Store = await LoadedComponents.CreateAsync<IStateStore>(
            registry, mesh._services,
            ComponentSpec.Create("test-s", "state.sqlite", ("connectionString", mesh.Database), ("tableName", "asya_results")),
            CancellationToken.None);

        mesh.Start("x-sink", ["--builtin", "x-sink"], []);
        mesh.Start("x-sump", ["--builtin", "x-sump"], []);
        foreach (var spec in actors)
        {
            mesh.StartActor(spec);
        }

        return mesh;
    }

    /// <summary>Starts one actor's sidecar (local mode, real runtime); tests may call it after preparing queues.</summary>
    public void StartActor(ActorSpec spec)
    {
        var command = $"env ASYA_HANDLER={Handlers.Module}.{spec.Handler} PYTHONPATH={Dir.Path} ASYA_TEST_DIR={Dir.Path} " +
            $"{RepoPaths.Python} {RepoPaths.PythonRuntime}";
        var env = new Dictionary<string, string>();
        if (spec.Policies is not null)
        {
            env["ASYA_RESILIENCY_POLICIES"] = spec.Policies;
        }

        if (spec.Rules is not null)
        {
            env["ASYA_RESILIENCY_RULES"] = spec.Rules;
        }

        if (spec.ActorTimeout is not null)
        {
            env["ASYA_RESILIENCY_ACTOR_TIMEOUT"] = spec.ActorTimeout;
        }

        string[] extra = ["--socket-dir", Dir.Combine("s-" + spec.Actor), "--runtime-command", command, "--runtime-ready-timeout", "30s"];
        if (spec.MaxDeliveries is { } maxDeliveries)
        {
            extra = [.. extra, "--max-deliveries", maxDeliveries.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        }

        Start(spec.Actor, spec.ResourcesPath is null ? extra : [.. extra, "--resources-path", spec.ResourcesPath], env);
    }

    /// <summary>Starts a built-in crew actor besides x-sink and x-sump (x-pause, x-resume) on the embedded state store.</summary>
    public void StartCrew(string builtin) => Start(builtin, ["--builtin", builtin], []);

    private void Start(string actor, string[] extra, Dictionary<string, string> env)
    {
        var stop = new CancellationTokenSource();
        string[] args =
        [
            "--actor", actor, "--namespace", Namespace, "--data-dir", DataDirectory, "--metrics-addr", "off",
            "--drain-timeout", "2s", "--log-level", "warn", .. extra,
        ];
        var run = Task.Run(() => SidecarProgram.RunAsync(args, env, ManifestComponents.CreateAsync, configure: null, stop.Token));
        _sidecars.Add((actor, run, stop));
    }

    public static string Queue(string actor) => $"asya-{Namespace}-{actor}";

    public Task SendAsync(Envelope envelope) => SendRawAsync(envelope.Route!.Curr, envelope.ToUtf8Bytes());

    public async Task SendRawAsync(string actor, byte[] body)
    {
        if (Transport is IQueueAdmin admin)
        {
            await admin.EnsureQueueAsync(new QueueSpec(Queue(actor)), CancellationToken.None);
        }

        await Transport.SendAsync(Queue(actor), new OutgoingMessage(body), CancellationToken.None);
    }

    public Task<Envelope> ResultAsync(string id) => WaitEntryAsync(id);

    public Task<Envelope> SumpAsync(string id) => WaitEntryAsync(CrewProcessor.SumpKeyPrefix + id);

    /// <summary>Waits for a stored envelope matching <paramref name="match"/> (keys listed straight from the store's table).</summary>
    public async Task<Envelope> WaitAsync(Func<Envelope, bool> match, string what) =>
        await Eventually.GetAsync(
            async () =>
            {
                foreach (var key in await KeysAsync())
                {
                    if (await Store.GetAsync(key, CancellationToken.None) is { } entry && Envelopes.Parse(entry.Value) is var envelope && match(envelope))
                    {
                        return envelope;
                    }
                }

                return null;
            },
            ResultTimeout,
            what);

    private async Task<List<string>> KeysAsync()
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Database, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT key FROM asya_results";
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    private async Task<Envelope> WaitEntryAsync(string key)
    {
        var entry = await Eventually.GetAsync(
            async () => await Store.GetAsync(key, CancellationToken.None), ResultTimeout, $"result-store key '{key}'");
        return Envelopes.Parse(entry.Value);
    }

    public static string Text(Envelope envelope) => Encoding.UTF8.GetString(envelope.ToUtf8Bytes());

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, _, stop) in _sidecars)
        {
            await stop.CancelAsync();
        }

        var codes = new List<string>();
        foreach (var (actor, run, stop) in _sidecars)
        {
            var code = await run.WaitAsync(TimeSpan.FromSeconds(30));
            stop.Dispose();
            if (code != 0)
            {
                codes.Add($"{actor} exited with {code}");
            }
        }

        await Transport.DisposeAsync();
        await Store.DisposeAsync();
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Dir.Dispose();
        Assert.Empty(codes);
    }
}
