using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Asya.Testing;
using Xunit.Abstractions;

namespace Asya.Faults.IntegrationTests.Harness;

/// <summary>
/// Runs one fault scenario end to end and checks the suite's invariants: every id sent ends exactly once in x-sink or
/// x-sump (where the scenario expects it), handler calls are duplicated only across a harness kill, no process of the
/// mesh is left behind, every queue is empty, each sidecar's memory stays bounded, and every sidecar stops cleanly.
/// </summary>
internal sealed class ScenarioRunner(ITestOutputHelper output)
{
    /// <summary>Stored envelopes may nest as deep as the mesh allows (512 by default), beyond System.Text.Json's 64.</summary>
    private static readonly JsonDocumentOptions DeepJson = new() { MaxDepth = 2048 };

    /// <summary>Upper bound of a sidecar's resident memory during a scenario.</summary>
    public const double RssLimitMegabytes = 300;

    /// <summary>The fault injection: runs while the load is processed; the mesh and the ids sent are given.</summary>
    public delegate Task Injector(FaultMesh mesh, IReadOnlyList<string> ids, CancellationToken cancellationToken);

    /// <returns>The handler's calls, for checks particular to the scenario.</returns>
    public async Task<CallLog> RunAsync(
        string scenario,
        FaultTransport transport,
        IReadOnlyList<ScenarioEnvelope> envelopes,
        Injector inject,
        MeshOptions? options = null,
        IReadOnlySet<string>? duplicatesAllowed = null,
        IReadOnlySet<string>? crashing = null,
        double rssLimitMegabytes = RssLimitMegabytes)
    {
        ArgumentNullException.ThrowIfNull(envelopes);
        ArgumentNullException.ThrowIfNull(inject);
        var deadline = TimeSpan.FromSeconds(120 + envelopes.Count / 20.0);
        using var cancel = new CancellationTokenSource(deadline * 2);
        var ct = cancel.Token;
        var watch = Stopwatch.StartNew();
        var ids = envelopes.Where(e => e.Expected != Outcome.Untracked).Select(e => e.Id).ToList();
        await using var mesh = await FaultMesh.StartAsync(transport, options ?? new MeshOptions(), ct);

        await SendAllAsync(mesh, envelopes, ct);
        await inject(mesh, ids, ct);
        await mesh.WaitFinishedAsync(ids, ids.Count, deadline, ct);
        await mesh.WaitQueuesEmptyAsync(TimeSpan.FromSeconds(60), ct);
        mesh.Sample();
        var seconds = watch.Elapsed.TotalSeconds;

        var calls = CallLog.Read(mesh.CallsFile);
        var crashPids = (crashing ?? new HashSet<string>()).SelectMany(id => calls.Calls.GetValueOrDefault(id) ?? []).Select(c => c.Pid).ToHashSet();
        var (sink, sump, problems) = await CheckOutcomesAsync(mesh, envelopes, calls, crashPids, ct);
        var unexplained = calls.UnexplainedDuplicates(mesh.Kills, duplicatesAllowed ?? new HashSet<string>());
        var top = mesh.PeakResidentMegabytes.OrderByDescending(p => p.Value).FirstOrDefault();
        var (peakPid, peak) = (top.Key, top.Value);
        var actorLog = string.Join('\n', mesh.Sidecar(FaultMesh.Actor).Stderr.Split('\n').TakeLast(15));
        var exitCodes = await mesh.StopAsync();
        var leftBehind = await LeftBehindAsync(mesh);

        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"fault-suite: {scenario} {transport.Name} sent={envelopes.Count} sink={sink} sump={sump} duplicate_calls={calls.DuplicateCalls} " +
            $"lost={problems.Lost.Count} kills={mesh.Kills.Count / 2} crashed_in_flight={problems.Collateral} orphaned_runtimes={mesh.OrphanedRuntimes} peak_rss_mb={peak:F0} seconds={seconds:F1} seed={FaultSettings.Seed}");
        output.WriteLine(line);
        FaultReport.Append(line);

        Assert.True(problems.Lost.Count == 0, $"{problems.Lost.Count} envelopes lost (in neither x-sink nor x-sump), e.g. {Sample(problems.Lost)}");
        Assert.True(problems.Twice.Count == 0, $"{problems.Twice.Count} envelopes both succeeded in x-sink and dead-lettered in x-sump, e.g. {Sample(problems.Twice)}");
        Assert.True(problems.Wrong.Count == 0, $"{problems.Wrong.Count} envelopes ended in the wrong place, e.g. {Sample(problems.Wrong)}");
        Assert.True(unexplained.Count == 0, $"{unexplained.Count} handler calls duplicated with no kill in between, e.g. {Sample(unexplained)}; actor sidecar log:\n{actorLog}");
        Assert.True(leftBehind.Count == 0, $"processes left behind: {string.Join("; ", leftBehind)}");
        Assert.True(peak < rssLimitMegabytes, $"sidecar {mesh.ActorOf(peakPid)} (pid {peakPid}) reached {peak:F0} MiB resident (limit {rssLimitMegabytes} MiB)");
        Assert.True(exitCodes.Values.All(c => c == 0), $"sidecars did not stop cleanly on SIGTERM: {string.Join(", ", exitCodes.Select(c => $"{c.Key}={c.Value}"))}");
        return calls;
    }

    /// <summary>Sends every envelope straight into the actor's queue, four senders at a time.</summary>
    private static async Task SendAllAsync(FaultMesh mesh, IReadOnlyList<ScenarioEnvelope> envelopes, CancellationToken cancellationToken)
    {
        var queue = mesh.QueueOf(FaultMesh.Actor);
        await Parallel.ForEachAsync(
            envelopes,
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (envelope, ct) => await mesh.Client.SendAsync(queue, envelope.Body, ct));
    }

    private static async Task<(int Sink, int Sump, Problems Problems)> CheckOutcomesAsync(
        FaultMesh mesh, IReadOnlyList<ScenarioEnvelope> envelopes, CallLog calls, IReadOnlySet<int> crashPids, CancellationToken cancellationToken)
    {
        var problems = new Problems();
        int sink = 0, sump = 0;
        foreach (var envelope in envelopes.Where(e => e.Expected != Outcome.Untracked))
        {
            var stored = await mesh.Client.SinkAsync(envelope.Id, cancellationToken);
            var succeeded = stored is not null && Phase(stored) == "succeeded";
            var deadEntry = await mesh.Client.SumpAsync(envelope.Id, cancellationToken);
            if (succeeded && deadEntry is not null)
            {
                problems.Twice.Add(envelope.Id);
            }
            else if (succeeded)
            {
                sink++;
                if (envelope.Expected == Outcome.Sump)
                {
                    problems.Wrong.Add($"{envelope.Id} succeeded in x-sink, expected x-sump");
                }
            }
            else if (deadEntry is not null)
            {
                sump++;
                if (envelope.Expected == Outcome.Sink && CrashedBeside(deadEntry, calls.Calls.GetValueOrDefault(envelope.Id), mesh.Kills, crashPids))
                {
                    problems.Collateral++;
                }
                else if (envelope.Expected == Outcome.Sink)
                {
                    problems.Wrong.Add($"{envelope.Id} in x-sump ({Describe(deadEntry)}), expected x-sink");
                }
            }
            else
            {
                problems.Lost.Add(envelope.Id);
            }
        }

        return (sink, sump, problems);
    }

    /// <summary>Processes left once every sidecar stopped; a stopping runtime gets a moment to exit, so this waits on a condition.</summary>
    private static async Task<IReadOnlyList<string>> LeftBehindAsync(FaultMesh mesh)
    {
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(mesh.LeftBehind().Count == 0), TimeSpan.FromSeconds(10), "no process of the mesh left");
            return [];
        }
        catch (TimeoutException)
        {
            return mesh.LeftBehind();
        }
    }

    /// <summary>
    /// A runtime that dies fails the envelopes in it (asya.RuntimeCrashed, issue 9 item 2), including those sharing the
    /// runtime with the call that crashed it, some of which never reached the handler. Such an envelope rightly ends in
    /// x-sump when a harness kill followed the start of its last call, when that call ran in the pid of a crashing
    /// handler, or, never called, when the scenario killed or crashed a runtime at all.
    /// </summary>
    private static bool CrashedBeside(byte[] dead, IReadOnlyList<CallLog.Call>? calls, IReadOnlyList<long> kills, IReadOnlySet<int> crashPids) =>
        ErrorType(dead) == "asya.RuntimeCrashed"
        && (calls is not { Count: > 0 }
            ? kills.Count > 0 || crashPids.Count > 0
            : kills.Any(k => k > calls[^1].Time) || crashPids.Contains(calls[^1].Pid));

    private static string? ErrorType(byte[] stored)
    {
        using var document = JsonDocument.Parse(stored, DeepJson);
        return document.RootElement.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object
            && status.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
            && error.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString()
            : null;
    }

    private static string Describe(byte[] stored)
    {
        using var document = JsonDocument.Parse(stored, DeepJson);
        var reason = document.RootElement.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object
            && status.TryGetProperty("reason", out var r) ? r.ToString() : "?";
        return $"reason {reason}, error {ErrorType(stored) ?? "none"}";
    }

    private static string? Phase(byte[] stored)
    {
        using var document = JsonDocument.Parse(stored, DeepJson);
        return document.RootElement.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object
            && status.TryGetProperty("phase", out var phase) && phase.ValueKind == JsonValueKind.String
            ? phase.GetString()
            : null;
    }

    private static string Sample(IReadOnlyList<string> items) => string.Join(", ", items.Take(5));

    private sealed class Problems
    {
        public List<string> Lost { get; } = [];

        public List<string> Twice { get; } = [];

        public List<string> Wrong { get; } = [];

        /// <summary>Envelopes failed as asya.RuntimeCrashed because their runtime died under them (killed, or crashed by another call).</summary>
        public int Collateral { get; set; }
    }
}
