using System.Diagnostics;
using System.Globalization;
using Asya.Testing;
using Asya.Testing.Processes;
using Microsoft.Data.Sqlite;

namespace Asya.Faults.IntegrationTests.Harness;

/// <summary>
/// One actor (<see cref="Actor"/>, the <see cref="FaultHandler"/> behind the real Python runtime) and the crew x-sink
/// and x-sump, each a real <c>asya-sidecar</c> process, on one transport; plus the faults a supervisor and an
/// operator meet: SIGKILL of the sidecar (restarted like a supervisor would) and of its runtime. Every process it
/// starts carries a marker variable, so whatever is left behind afterwards is found by pid.
/// </summary>
internal sealed class FaultMesh : IAsyncDisposable
{
    public const string Actor = "work";
    private static readonly string[] CrewActors = ["x-sink", "x-sump"];

    private readonly FaultTransport _transport;
    private readonly MeshOptions _options;
    private readonly Dictionary<string, SidecarProcess> _sidecars = new(StringComparer.Ordinal);
    private readonly List<SidecarProcess> _exited = [];
    private readonly Dictionary<int, double> _peakRss = [];
    private readonly Dictionary<int, string> _actorOfPid = [];
    private readonly HashSet<int> _runtimePids = [];
    private readonly List<long> _kills = [];

    private FaultMesh(FaultTransport transport, MeshOptions options)
    {
        _transport = transport;
        _options = options;
        Namespace = "f" + Guid.NewGuid().ToString("N")[..8];
        Marker = "ASYA_FAULTS_RUN=" + Namespace;
        DataDirectory = options.DataDirectory ?? Dir.Combine("data");
        CallsFile = Dir.Combine("calls.log");
    }

    public TempDirectory Dir { get; } = new();

    /// <summary>A fresh mesh namespace, so queues left on a shared broker by earlier runs never interfere.</summary>
    public string Namespace { get; }

    public string DataDirectory { get; }

    public string Database => Path.Combine(DataDirectory, "asya.db");

    public string CallsFile { get; }

    /// <summary>NAME=VALUE in the environment of every process of this mesh.</summary>
    public string Marker { get; }

    public MeshClient Client { get; private set; } = null!;

    public string? ResourcesPath { get; private set; }

    /// <summary>Stopwatch timestamps (CLOCK_MONOTONIC ns) of the harness's kills, to tell allowed duplicate calls from the rest.</summary>
    public IReadOnlyList<long> Kills => _kills;

    public int SidecarRestarts { get; private set; }

    public string QueueOf(string actor) => $"asya-{Namespace}-{actor}";

    public IEnumerable<string> Queues => new[] { Actor }.Concat(CrewActors).Select(QueueOf);

    public SidecarProcess Sidecar(string actor) => _sidecars[actor];

    /// <summary>The sidecars running now (crew and actor).</summary>
    public IReadOnlyCollection<SidecarProcess> Sidecars => _sidecars.Values;

    public static async Task<FaultMesh> StartAsync(FaultTransport transport, MeshOptions options, CancellationToken cancellationToken)
    {
        var mesh = new FaultMesh(transport, options);
        try
        {
            Directory.CreateDirectory(mesh.DataDirectory);
            await File.WriteAllTextAsync(mesh.Dir.Combine(FaultHandler.Module + ".py"), FaultHandler.Source, cancellationToken);
            if (transport.Manifest is { } manifest)
            {
                mesh.ResourcesPath = mesh.Dir.Combine("components");
                Directory.CreateDirectory(mesh.ResourcesPath);
                await File.WriteAllTextAsync(Path.Combine(mesh.ResourcesPath, "pubsub.yaml"), manifest, cancellationToken);
            }

            mesh.Client = await MeshClient.CreateAsync(mesh.ResourcesPath, mesh.Database, mesh.Namespace, cancellationToken);
            foreach (var queue in mesh.Queues)
            {
                await mesh.Client.EnsureQueueAsync(queue, cancellationToken);
            }

            foreach (var crew in CrewActors)
            {
                mesh.Launch(crew);
            }

            mesh.Launch(Actor);
            return mesh;
        }
        catch
        {
            await mesh.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// SIGKILL of the actor's sidecar at this moment, then what <c>asya up</c>'s supervisor does: kill what is left of the
    /// dead sidecar's process tree (its runtime: a bare sidecar's runtime outlives a SIGKILL, counted in
    /// <see cref="OrphanedRuntimes"/>) and start a new sidecar with the same arguments.
    /// </summary>
    public async Task KillSidecarAsync()
    {
        var sidecar = _sidecars[Actor];
        Sample();
        var children = ProcessTable.Descendants(sidecar.Id);
        _kills.Add(Stopwatch.GetTimestamp());
        await sidecar.KillAsync();
        foreach (var pid in children.Where(ProcessTable.IsAlive))
        {
            OrphanedRuntimes++;
            KillPid(pid);
        }

        _kills.Add(Stopwatch.GetTimestamp());
        _exited.Add(sidecar);
        SidecarRestarts++;
        Launch(Actor);
    }

    /// <summary>Runtime processes still running after their sidecar was SIGKILLed (the supervisor then killed them).</summary>
    public int OrphanedRuntimes { get; private set; }

    /// <summary>Runs an outside fault (a broker restart), marking its span like a kill: calls duplicated across it are allowed.</summary>
    public async Task RecordFaultAsync(Func<Task> fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        _kills.Add(Stopwatch.GetTimestamp());
        await fault();
        _kills.Add(Stopwatch.GetTimestamp());
    }

    /// <summary>SIGKILL of the actor's runtime process (waits for the sidecar to have one); the sidecar must start another.</summary>
    public async Task KillRuntimeAsync(TimeSpan deadline)
    {
        var sidecar = _sidecars[Actor];
        var pid = 0;
        await Eventually.TrueAsync(
            () => Task.FromResult((pid = RuntimeOf(sidecar) ?? 0) != 0), deadline, $"a runtime process under sidecar pid {sidecar.Id}");
        _runtimePids.Add(pid);
        _kills.Add(Stopwatch.GetTimestamp());
        using (var process = Process.GetProcessById(pid))
        {
            process.Kill();
        }

        await Eventually.TrueAsync(() => Task.FromResult(!ProcessTable.IsAlive(pid)), deadline, $"runtime pid {pid} gone after SIGKILL");
        _kills.Add(Stopwatch.GetTimestamp());
    }

    /// <summary>Records each sidecar's resident memory (peak kept) and the runtime pids seen; called while the load runs.</summary>
    public void Sample()
    {
        foreach (var sidecar in _sidecars.Values)
        {
            if (ProcessTable.ResidentMegabytes(sidecar.Id) is { } rss)
            {
                _peakRss[sidecar.Id] = Math.Max(rss, _peakRss.GetValueOrDefault(sidecar.Id));
            }

            foreach (var child in ProcessTable.Descendants(sidecar.Id))
            {
                if (ProcessTable.CommandLine(child).Contains("asya_runtime", StringComparison.Ordinal))
                {
                    _runtimePids.Add(child);
                }
            }
        }
    }

    /// <summary>Peak VmRSS in MiB per sidecar pid (all sidecars this mesh ran, restarted ones included).</summary>
    public IReadOnlyDictionary<int, double> PeakResidentMegabytes => _peakRss;

    /// <summary>The actor a sidecar pid served.</summary>
    public string ActorOf(int pid) => _actorOfPid.GetValueOrDefault(pid, "?");

    /// <summary>Runtime pids seen under the actor's sidecars.</summary>
    public IReadOnlyCollection<int> RuntimePids => _runtimePids;

    /// <summary>Ids with a final outcome: x-sink holds a succeeded envelope, or x-sump holds the id (one SQL read of the result store).</summary>
    public async Task<HashSet<string>> FinishedIdsAsync(CancellationToken cancellationToken)
    {
        var finished = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(Database))
        {
            return finished;
        }

        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT key, CASE WHEN is_binary = 0 AND json_valid(value) THEN json_extract(value, '$.status.phase') END FROM asya_results
            """;
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = reader.GetString(0);
                if (key.StartsWith(MeshClient.SumpPrefix, StringComparison.Ordinal))
                {
                    finished.Add(key[MeshClient.SumpPrefix.Length..]);
                }
                else if (!await reader.IsDBNullAsync(1, cancellationToken) && reader.GetString(1) == "succeeded")
                {
                    finished.Add(key);
                }
            }
        }
        catch (SqliteException ex) when (ex.Message.Contains("no such table", StringComparison.Ordinal))
        {
        }

        return finished;
    }

    /// <summary>Waits until at least <paramref name="count"/> of <paramref name="ids"/> finished, sampling memory meanwhile.</summary>
    public async Task WaitFinishedAsync(IReadOnlyCollection<string> ids, int count, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var last = 0;
        try
        {
            await Eventually.TrueAsync(
                async () =>
                {
                    Sample();
                    var finished = await FinishedIdsAsync(cancellationToken);
                    last = ids.Count(finished.Contains);
                    return last >= count;
                },
                deadline,
                $"{count} of {ids.Count} envelopes finished in x-sink or x-sump on {_transport.Name}");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}: {last} finished; actor sidecar stderr:\n{Tail(_sidecars[Actor].Stderr)}", ex);
        }
    }

    /// <summary>Waits until every queue of the mesh is empty (ready, in flight and delayed).</summary>
    public async Task WaitQueuesEmptyAsync(TimeSpan deadline, CancellationToken cancellationToken)
    {
        var depths = "";
        try
        {
        await Eventually.TrueAsync(
            async () =>
            {
                var parts = new List<string>();
                foreach (var queue in Queues)
                {
                    var depth = await Client.DepthAsync(queue, cancellationToken);
                    if (depth.Total != 0)
                    {
                        parts.Add($"{queue} {depth}");
                    }
                }

                depths = string.Join(", ", parts);
                return parts.Count == 0;
            },
            deadline,
            "every queue empty");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}: {depths}", ex);
        }
    }

    /// <summary>SIGTERM to every sidecar (they drain and stop their runtimes); returns each one's exit code by actor.</summary>
    public async Task<IReadOnlyDictionary<string, int>> StopAsync()
    {
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (actor, sidecar) in _sidecars)
        {
            codes[actor] = await sidecar.TerminateAsync(TimeSpan.FromSeconds(60));
        }

        return codes;
    }

    /// <summary>Processes of this mesh still alive (by the marker in their environment) plus runtime pids seen that still run.</summary>
    public IReadOnlyList<string> LeftBehind()
    {
        var pids = ProcessTable.WithEnvironment(Marker).Concat(_runtimePids.Where(ProcessTable.IsAlive)).Distinct();
        return [.. pids.Select(pid => $"pid {pid}: {ProcessTable.CommandLine(pid)}")];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sidecar in _sidecars.Values.Concat(_exited))
        {
            sidecar.Dispose();
        }

        // Whatever a failed scenario left running goes, so the next scenario starts clean.
        foreach (var pid in ProcessTable.WithEnvironment(Marker))
        {
            KillPid(pid);
        }

        if (Client is not null)
        {
            await Client.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Dir.Dispose();
    }

    private static void KillPid(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(20));

    private static int? RuntimeOf(SidecarProcess sidecar) =>
        ProcessTable.Descendants(sidecar.Id).Where(pid => ProcessTable.CommandLine(pid).Contains("asya_runtime", StringComparison.Ordinal))
            .Select(pid => (int?)pid).FirstOrDefault();

    private void Launch(string actor)
    {
        List<string> args =
        [
            "--actor", actor, "--namespace", Namespace, "--data-dir", DataDirectory, "--metrics-addr", "off",
            "--log-level", "warn", "--drain-timeout", "10s",
        ];
        if (ResourcesPath is not null)
        {
            args.AddRange(["--resources-path", ResourcesPath]);
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { [Marker.Split('=')[0]] = Namespace };
        if (CrewActors.Contains(actor))
        {
            args.AddRange(["--builtin", actor]);
        }
        else
        {
            var runtime = $"env ASYA_HANDLER={FaultHandler.Module}.{FaultHandler.Function} PYTHONPATH={Dir.Path} ASYA_FAULTS_CALLS={CallsFile} " +
                $"{RepoPaths.Python} {RepoPaths.PythonRuntime}";
            args.AddRange([
                "--socket-dir", Dir.Combine("s"), "--runtime-command", runtime, "--runtime-ready-timeout", "30s", "--lease", "5s",
                "--concurrency", _options.Concurrency.ToString(CultureInfo.InvariantCulture),
            ]);
            if (_options.ActorTimeout is { } timeout)
            {
                environment["ASYA_RESILIENCY_ACTOR_TIMEOUT"] = timeout;
            }
        }

        var started = SidecarProcess.Start(args, environment);
        _actorOfPid[started.Id] = actor;
        _sidecars[actor] = started;
    }
}
