using Asya.Cli.Cli;
using Asya.Cli.Folder;
using Asya.Cli.Gateway;
using Asya.Cli.Local;
using Asya.Cli.Mesh;
using Asya.Mesh.Client;
using Asya.Runtime.Protocol;

namespace Asya.Cli.Commands;

/// <summary>
/// <c>asya run</c>: up, one envelope through the route, its final state printed, down. With its gateway (the default) the
/// envelope is submitted there, so the handlers' FLY output shows live on stderr; the end is read from the result store
/// either way.
/// </summary>
internal static class RunCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan QuietTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        var reader = new ArgReader("run", args);
        var mesh = CommonOptions.LoadFolder(reader, "run");
        var payloadText = reader.Get("--payload") ?? throw CliException.Usage("asya run: --payload '<json>' is required");
        var payload = PayloadArgument.Parse(payloadText);
        var route = CommonOptions.Route(reader, mesh);
        var timeout = CommonOptions.Duration(reader, "--timeout");
        var gateway = CommonOptions.Gateway(reader, LocalGateway.DefaultRunAddress) is { } g ? g with { ServesFlows = false } : null;
        var options = CommonOptions.Launch(reader, context) with { Gateway = gateway };
        CommonOptions.WriteNotes(mesh, context.Stderr);
        await CommonOptions.CheckManifestsAsync(mesh, context, cancellationToken);

        await using var client = await FolderMesh.ConnectAsync(mesh, mesh.Find(route[0])?.Transport, cancellationToken);
        var launches = LaunchPlanner.Plan(mesh, options, FreePort.Next, context.Env);
        await using var supervisor = await MeshSupervisor.StartAsync(mesh, launches, options, context.Stderr, context.Time, cancellationToken);

        using var flyStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var api = gateway is null ? null : new TasksApiClient(gateway.ApiUrl, apiKey: null);
        var (id, flyStream) = api is null
            ? (await SendAsync(client, mesh, route, payload, context.Time, cancellationToken), Task.CompletedTask)
            : await SubmitAsync(api, route, payload, context.Stderr, flyStop.Token);
        var crewSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        supervisor.HopHandled += hop =>
        {
            if (hop.EnvelopeId == id && ActorNames.IsCrew(hop.Actor))
            {
                crewSeen.TrySetResult();
            }
        };
        supervisor.Progress($"sent {id} to {string.Join(" -> ", route)}; waiting up to {timeout.TotalSeconds:0}s");

        var known = KnownDestinations(mesh);
        var (finished, stranded) = await WaitForEndAsync(client, supervisor, id, known, timeout, context.Time, cancellationToken);
        if (finished is null)
        {
            await EndFlyAsync(flyStop, flyStream);
            await supervisor.StopAsync();
            ResultPrinter.WriteTrace(context.Stderr, id, supervisor.Hops);
            context.Stderr.WriteLine(stranded is { } actor
                ? $"asya: {id}: envelope waiting in queue of unknown actor {actor} ({ActorNames.Queue(mesh.Namespace, actor)}); no actor of the folder reads it"
                : $"asya: {id}: no result within {timeout.TotalSeconds:0}s");
            return ExitCodes.Failed;
        }

        // Fan-out children travel on after the first envelope finished: let the queues run empty before stopping.
        await WaitForQuietAsync(client, mesh, launches, context.Time, cancellationToken);

        // The crew logs its event just after storing; give the log line a moment so the trace is complete.
        await Task.WhenAny(crewSeen.Task, Task.Delay(TimeSpan.FromSeconds(2), cancellationToken));
        await EndFlyAsync(flyStop, flyStream);
        await supervisor.StopAsync();
        ResultPrinter.WriteTrace(context.Stderr, id, supervisor.Hops);
        context.Stdout.WriteLine(ResultPrinter.Indent(finished.Body));
        context.Stderr.WriteLine($"asya: {finished.Describe()}");
        var descendantsOk = await ReportDescendantsAsync(client, supervisor.Hops, id, known, mesh.Namespace, context.Stderr, cancellationToken);
        return finished.Succeeded && descendantsOk ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static async Task<string> SendAsync(
        IMeshClient client, MeshFolder mesh, IReadOnlyList<string> route, System.Text.Json.JsonElement payload, TimeProvider time, CancellationToken cancellationToken)
    {
        var envelope = EnvelopeFactory.Create(route, payload, time);
        await client.SendAsync(ActorNames.Queue(mesh.Namespace, route[0]), envelope.ToUtf8Bytes(), cancellationToken);
        return envelope.Id!;
    }

    /// <summary>Submits through the gateway and follows the task's events in the background, writing FLY text to stderr.</summary>
    private static async Task<(string Id, Task FlyStream)> SubmitAsync(
        TasksApiClient api, IReadOnlyList<string> route, System.Text.Json.JsonElement payload, TextWriter stderr, CancellationToken stop)
    {
        var body = new System.Text.Json.Nodes.JsonObject
        {
            ["route"] = new System.Text.Json.Nodes.JsonArray([.. route.Select(a => (System.Text.Json.Nodes.JsonNode?)a)]),
            ["payload"] = System.Text.Json.Nodes.JsonNode.Parse(payload.GetRawText(), documentOptions: ProtocolJson.DocumentOptions),
        };
        var id = await api.SubmitAsync(body, stop);
        var printer = new TaskEventPrinter(stderr, showStatus: false, api);
        var following = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stream = FollowAsync(api, id, printer, following, stop);
        // FLY events are never replayed: the sooner the stream is open, the fewer early ones the handler sends unseen.
        await Task.WhenAny(following.Task, stream);
        return (id, stream);
    }

    private static async Task FollowAsync(TasksApiClient api, string id, TaskEventPrinter printer, TaskCompletionSource following, CancellationToken stop)
    {
        try
        {
            await foreach (var item in api.EventsAsync(id, stop))
            {
                following.TrySetResult();
                if (printer.Write(item) is not null)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or CliException or HttpRequestException or IOException)
        {
            // FLY output is a view on the side: the run's outcome comes from the result store.
        }
        finally
        {
            printer.EndText();
        }
    }

    // The stream ends by itself with the task; the wait for the result store may be over first (or time out).
    private static async Task EndFlyAsync(CancellationTokenSource stop, Task flyStream)
    {
        await Task.WhenAny(flyStream, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None));
        await stop.CancelAsync();
        await flyStream;
    }

    // Every actor a hop may name as its destination without leaving the local mesh.
    private static HashSet<string> KnownDestinations(MeshFolder mesh) =>
        [.. mesh.Actors.Select(a => a.Name), ActorNames.Sink, ActorNames.Sump, "result-store", .. mesh.UsesPause ? [ActorNames.Pause, ActorNames.Resume] : Array.Empty<string>()];

    private static IEnumerable<string> UnknownDestinations(HopEvent hop, HashSet<string> known) =>
        hop.Destination.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(d => !known.Contains(d));

    /// <summary>
    /// Fan-out children end on their own: the ones x-sump holds and the ones routed to an actor the folder lacks fail the
    /// run too. Returns false when there was any.
    /// </summary>
    private static async Task<bool> ReportDescendantsAsync(
        IMeshClient client, IReadOnlyCollection<HopEvent> hops, string id, HashSet<string> known, string ns, TextWriter stderr, CancellationToken cancellationToken)
    {
        var ok = true;
        foreach (var hop in hops.Where(h => h.EnvelopeId != id))
        {
            foreach (var actor in UnknownDestinations(hop, known))
            {
                stderr.WriteLine($"asya: {hop.EnvelopeId}: envelope waiting in queue of unknown actor {actor} ({ActorNames.Queue(ns, actor)})");
                ok = false;
            }
        }

        var dead = new List<FinishedEnvelope>();
        foreach (var childId in hops.Where(h => h.Actor == ActorNames.Sump && h.EnvelopeId != id).Select(h => h.EnvelopeId).Distinct(StringComparer.Ordinal))
        {
            if (await client.FindAsync(childId, cancellationToken) is { } child && await DescendsFromAsync(client, child, id, cancellationToken))
            {
                dead.Add(child);
            }
        }

        if (dead.Count > 0)
        {
            stderr.WriteLine($"asya: {dead.Count} fan-out envelope(s) of {id} dead-lettered at x-sump:");
            foreach (var child in dead)
            {
                stderr.WriteLine($"asya:   {child.Describe()} (see: asya result <folder> {child.Id})");
            }
        }

        return ok && dead.Count == 0;
    }

    // Follows parent_id up (a child of a child names its own parent) until the run's envelope, a bounded number of steps.
    private static async Task<bool> DescendsFromAsync(IMeshClient client, FinishedEnvelope child, string id, CancellationToken cancellationToken)
    {
        var parent = child.ParentId;
        for (var depth = 0; parent is not null && depth < 32; depth++)
        {
            if (parent == id)
            {
                return true;
            }

            parent = (await client.FindAsync(parent, cancellationToken))?.ParentId;
        }

        return false;
    }

    private static async Task WaitForQuietAsync(
        IMeshClient client, MeshFolder mesh, IReadOnlyList<SidecarLaunch> launches, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + QuietTimeout;
        var queues = launches.Select(l => ActorNames.Queue(mesh.Namespace, l.Actor)).ToList();
        var quietPolls = 0;
        while (quietPolls < 2 && time.GetUtcNow() < deadline)
        {
            long total = 0;
            foreach (var queue in queues)
            {
                if (await client.GetDepthAsync(queue, cancellationToken) is not { } depth)
                {
                    return;
                }

                total += depth;
            }

            quietPolls = total == 0 ? quietPolls + 1 : 0;
            if (quietPolls < 2)
            {
                await Task.Delay(PollInterval, time, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Until the envelope is stored by x-sink or x-sump, or its trace shows it routed to an actor the folder lacks
    /// (nothing will ever read that queue), or the timeout.
    /// </summary>
    private static async Task<(FinishedEnvelope? Finished, string? StrandedAt)> WaitForEndAsync(
        IMeshClient client, MeshSupervisor supervisor, string id, HashSet<string> known, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            if (await client.FindAsync(id, cancellationToken) is { } finished)
            {
                return (finished, null);
            }

            if (supervisor.Hops.Where(h => h.EnvelopeId == id).SelectMany(h => UnknownDestinations(h, known)).FirstOrDefault() is { } actor)
            {
                return (null, actor);
            }

            if (supervisor.GaveUp.IsCompleted)
            {
                throw await supervisor.GaveUp;
            }

            if (time.GetUtcNow() >= deadline)
            {
                return (null, null);
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }
}
