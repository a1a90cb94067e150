using System.Collections.Concurrent;
using Asya.Cli.Folder;
using Asya.Components.Abstractions;
using Asya.Sidecar.Observability;

namespace Asya.Cli.Local;

/// <summary>
/// Runs the sidecars of a folder (and its gateway) as child processes: starts them, waits for every <c>/readyz</c> with progress on
/// stderr, prints their logs prefixed by actor, collects <c>EnvelopeHandled</c> events, restarts a sidecar that exits
/// while the mesh runs (exponential backoff; gives up after <see cref="MaxFastExits"/> exits within
/// <see cref="FastExitWindow"/>), and stops them (SIGTERM, bounded wait, kill).
/// </summary>
internal sealed class MeshSupervisor : IAsyncDisposable
{
    private const int MaxPortRetries = 3;
    private const int MaxRuntimeStartFailures = 3;

    /// <summary>Exits of one sidecar within <see cref="FastExitWindow"/> after which it is not restarted again.</summary>
    public const int MaxFastExits = 5;

    public static readonly TimeSpan FastExitWindow = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan FirstRestartDelay = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan MaxRestartDelay = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(150);

    private readonly LaunchOptions _options;
    private readonly TextWriter _stderr;
    private readonly Lock _writeGate = new();
    private readonly List<SupervisedSidecar> _children = [];
    private readonly HashSet<string> _shownWarnings = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<HopEvent> _hops = new();
    private readonly ConcurrentDictionary<ChildProcess, int> _runtimeExits = new();
    private readonly ConcurrentDictionary<ChildProcess, bool> _portTaken = new();
    private readonly int _nameWidth;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly TimeProvider _time;
    private readonly Lock _restartGate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource<Cli.CliException> _gaveUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopped;
    private volatile bool _ready;

    private MeshSupervisor(LaunchOptions options, TextWriter stderr, int nameWidth, TimeProvider time)
    {
        _options = options;
        _stderr = stderr;
        _nameWidth = nameWidth;
        _time = time;
    }

    /// <summary>Raised for every <c>EnvelopeHandled</c> event, from the log reader threads.</summary>
    public event Action<HopEvent>? HopHandled;

    /// <summary>Raised when a sidecar that exited is about to be restarted after the given delay (tests wait on it).</summary>
    public event Action<string, TimeSpan>? RestartScheduled;

    /// <summary>Completes with the error to report once a sidecar kept exiting and is no longer restarted.</summary>
    public Task<Cli.CliException> GaveUp => _gaveUp.Task;

    public IReadOnlyCollection<HopEvent> Hops => _hops;

    /// <summary>Starts every sidecar and waits until all are ready; on failure stops them and throws.</summary>
    public static async Task<MeshSupervisor> StartAsync(
        MeshFolder mesh, IReadOnlyList<SidecarLaunch> launches, LaunchOptions options, TextWriter stderr, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        ArgumentNullException.ThrowIfNull(launches);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(time);
        var supervisor = new MeshSupervisor(options, stderr, launches.Max(l => l.Actor.Length), time);
        try
        {
            Directory.CreateDirectory(mesh.DataDir);
            var gateway = launches.Any(l => l.IsGateway) ? " + gateway" : "";
            supervisor.Progress($"starting {launches.Count(l => !l.IsCrew && !l.IsGateway)} actor(s) + crew{gateway} in namespace '{mesh.Namespace}' (data: {mesh.DataDir})");
            foreach (var launch in launches)
            {
                supervisor._children.Add(new SupervisedSidecar(launch, supervisor.Launch(launch)));
            }

            await supervisor.WaitReadyAsync(cancellationToken);
            return supervisor;
        }
        catch
        {
            await supervisor.DisposeAsync();
            throw;
        }
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        List<SupervisedSidecar> running;
        lock (_restartGate)
        {
            // Under the gate a restart either launched before (and is stopped below) or sees _stopped and does not.
            _stopped = true;
            running = [.. _children.Where(c => !c.Child.HasExited)];
        }

        await _stopping.CancelAsync();
        if (running.Count > 0)
        {
            Progress($"stopping {running.Count} sidecar(s) (draining, up to {_options.StopTimeout.TotalSeconds:0}s)");
        }

        // Users first, crew next, so envelopes still in flight can reach x-sink; the gateway last, so their reports reach it.
        var users = running.Where(c => !c.Launch.IsCrew && !c.Launch.IsGateway).Select(c => c.Child.StopAsync(_options.StopTimeout, _time));
        await Task.WhenAll(users);
        var crew = running.Where(c => c.Launch.IsCrew).Select(c => c.Child.StopAsync(_options.StopTimeout, _time));
        await Task.WhenAll(crew);
        await Task.WhenAll(running.Where(c => c.Launch.IsGateway).Select(c => c.Child.StopAsync(_options.StopTimeout, _time)));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var entry in _children)
        {
            entry.Child.Dispose();
            RuntimeLeftovers.Stop(entry.Launch.SocketDir, _options.RuntimeFile);
            TryDelete(entry.Launch.SocketDir);
        }

        _http.Dispose();
        _stopping.Dispose();
    }

    public void Progress(string message)
    {
        lock (_writeGate)
        {
            _stderr.WriteLine($"asya: {message}");
        }
    }

    private ChildProcess Launch(SidecarLaunch launch)
    {
        Directory.CreateDirectory(launch.SocketDir);
        var child = ChildProcess.Start(
            launch.Actor,
            _options.Self.FileName,
            _options.Self.PrefixArgs.Concat(launch.Arguments),
            launch.Environment,
            (c, line) => OnChildLine(c, line, launch.IsGateway),
            ownSession: true);
        _ = WatchAsync(child);
        return child;
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var pending = _children.ToList();
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var entry in pending.ToList())
            {
                if (entry.Child.HasExited)
                {
                    // Another process may take the metrics port between our check and the sidecar's bind: try another.
                    if (entry.Restarts < MaxPortRetries && _portTaken.ContainsKey(entry.Child))
                    {
                        entry.Restarts++;
                        entry.Launch = entry.Launch.WithPort(FreePort.Next());
                        entry.Child.Dispose();
                        entry.Child = Launch(entry.Launch);
                        continue;
                    }

                    throw Failure(entry.Child, $"exited with code {await entry.Child.Exited} before it was ready");
                }

                if (_runtimeExits.GetValueOrDefault(entry.Child) >= MaxRuntimeStartFailures)
                {
                    // The handler does not load (syntax error, failing import): a configuration error, not a mesh failure.
                    throw Failure(
                        entry.Child,
                        $"its runtime exited {MaxRuntimeStartFailures} times while starting (see the handler error below)",
                        exitCode: Cli.ExitCodes.Usage);
                }

                if (await IsReadyAsync(entry.Launch.MetricsPort, cancellationToken) && !entry.Child.HasExited)
                {
                    pending.Remove(entry);
                    Progress($"  ready  {entry.Launch.Actor.PadRight(_nameWidth)}  ({_time.GetElapsedTime(started).TotalSeconds:0.0}s)");
                }
            }

            if (pending.Count == 0)
            {
                break;
            }

            if (_time.GetElapsedTime(started) > _options.StartTimeout)
            {
                throw Failure(pending[0].Child, $"not ready after {_options.StartTimeout.TotalSeconds:0}s (GET http://127.0.0.1:{pending[0].Launch.MetricsPort}/readyz)");
            }

            await Task.Delay(PollInterval, _time, cancellationToken);
        }

        if (_children.FirstOrDefault(c => c.Child.HasExited) is { } gone)
        {
            throw Failure(gone.Child, $"exited with code {await gone.Child.Exited} while the others started");
        }

        _ready = true;
        Progress($"all {_children.Count} sidecars ready in {_time.GetElapsedTime(started).TotalSeconds:0.0}s");
    }

    private async Task<bool> IsReadyAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri($"http://127.0.0.1:{port}/readyz"), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static Cli.CliException Failure(ChildProcess child, string problem, string verb = "did not start", int exitCode = Cli.ExitCodes.Failed)
    {
        var lines = child.LastLines();
        var tail = lines.Count == 0
            ? "  (no output)"
            : string.Join(Environment.NewLine, lines.TakeLast(10).Select(l => "  " + Render(ChildLogLine.Parse(l))));
        return new Cli.CliException($"actor '{child.Name}' {verb}: {problem}; its last log lines:{Environment.NewLine}{tail}", exitCode);
    }

    private async Task WatchAsync(ChildProcess child)
    {
        var code = await child.Exited;
        SupervisedSidecar? entry;
        lock (_restartGate)
        {
            // Under the gate: a restarted child can exit before the restart below has recorded it in its entry.
            entry = _children.FirstOrDefault(c => ReferenceEquals(c.Child, child));
        }

        if (!_ready || _stopped || entry is null)
        {
            return;
        }

        // Its runtime must not outlive it: the runtime is in the sidecar's process group (the sidecar ran setsid), and
        // the runtime's ready file names its pid when the group is gone already.
        child.KillGroup();
        RuntimeLeftovers.Stop(entry.Launch.SocketDir, _options.RuntimeFile);

        var now = _time.GetUtcNow();
        entry.RecentExits.Enqueue(now);
        while (entry.RecentExits.Peek() < now - FastExitWindow)
        {
            entry.RecentExits.Dequeue();
        }

        var exits = entry.RecentExits.Count;
        if (exits >= MaxFastExits)
        {
            var error = Failure(
                child,
                $"its sidecar exited {exits} times within {FastExitWindow.TotalSeconds:0}s (last exit code {code}); giving up",
                verb: "stopped");
            Progress($"{child.Name}: sidecar exited with code {code}; {exits} exits within {FastExitWindow.TotalSeconds:0}s, not restarting it");
            _gaveUp.TrySetResult(error);
            return;
        }

        var delay = RestartDelay(exits);
        entry.TotalRestarts++;
        Progress(FormattableString.Invariant(
            $"{child.Name}: sidecar exited with code {code}; restarting in {delay.TotalSeconds:0.0}s (restart {entry.TotalRestarts}, {exits} exit(s) in the last {FastExitWindow.TotalSeconds:0}s)"));
        // The timer exists before anyone hears of it: a listener that moves a fake clock at once must not miss it.
        var wait = Task.Delay(delay, _time, _stopping.Token);
        RestartScheduled?.Invoke(child.Name, delay);
        try
        {
            await wait;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_restartGate)
        {
            if (_stopped)
            {
                return;
            }

            // A fresh port: the old one may linger in TIME_WAIT or have been taken meanwhile.
            child.Dispose();
            entry.Launch = entry.Launch.WithPort(FreePort.Next());
            entry.Child = Launch(entry.Launch);
        }
    }

    /// <summary>0.5s, 1s, 2s, … doubling per recent exit, at most <see cref="MaxRestartDelay"/>.</summary>
    public static TimeSpan RestartDelay(int recentExits) => new Backoff(FirstRestartDelay, MaxRestartDelay).After(Math.Max(1, recentExits));

    private void OnChildLine(ChildProcess child, string line, bool isGateway)
    {
        var entry = ChildLogLine.Parse(line);
        if (isGateway)
        {
            // The gateway's event ids are its own (Asya.Gateway.Log), not sidecar events: shown, never acted on.
            entry = entry with { EventId = null, Hop = null };
        }

        switch (StartSignalOf(entry))
        {
            case StartSignal.RuntimeExited when !_ready:
                _runtimeExits.AddOrUpdate(child, 1, (_, n) => n + 1);
                break;
            case StartSignal.MetricsPortTaken:
                _portTaken[child] = true;
                break;
        }

        if (entry.Hop is { } hop)
        {
            _hops.Enqueue(hop);
            HopHandled?.Invoke(hop);
        }

        if (!_options.Verbose && !entry.IsImportant)
        {
            if (_options.ShowHops && entry.Hop is { } shown)
            {
                lock (_writeGate)
                {
                    _stderr.WriteLine(FormattableString.Invariant(
                        $"{child.Name.PadRight(_nameWidth)} | {shown.EnvelopeId} {shown.Outcome} -> {shown.Destination} ({shown.DurationMs:0} ms)"));
                }
            }

            return;
        }

        lock (_writeGate)
        {
            // Every sidecar loads the same manifests and warns about the same keys; one copy is enough to read.
            if (!_options.Verbose && entry.Level == "warn" && !_shownWarnings.Add(entry.Text))
            {
                return;
            }

            _stderr.WriteLine($"{child.Name.PadRight(_nameWidth)} | {Render(entry)}");
            if (entry.ExceptionText is { } exception)
            {
                foreach (var exceptionLine in exception.Split('\n'))
                {
                    _stderr.WriteLine($"{child.Name.PadRight(_nameWidth)} |   {exceptionLine.TrimEnd()}");
                }
            }
        }
    }

    /// <summary>
    /// What a sidecar's log entry says about its start, read from its event id alone (<see cref="SidecarLogEvents"/>):
    /// a runtime that cannot load its handler exits at once and the sidecar restarts it forever, so its exits are
    /// counted instead of waiting for the start deadline; a taken metrics port means starting again on another.
    /// </summary>
    internal static StartSignal StartSignalOf(ChildLogLine entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.EventId switch
        {
            SidecarLogEvents.RuntimeExited => StartSignal.RuntimeExited,
            SidecarLogEvents.MetricsAddressInUse => StartSignal.MetricsPortTaken,
            _ => StartSignal.None,
        };
    }

    private static string Render(ChildLogLine entry) => entry.Level == "text" ? entry.Text : $"{entry.Level}: {entry.Text}";

    private static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }

            var parent = Path.GetDirectoryName(dir);
            if (parent is not null && Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any())
            {
                Directory.Delete(parent);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
