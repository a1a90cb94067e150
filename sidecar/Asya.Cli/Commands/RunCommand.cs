using Asya.Cli.Cli;
using Asya.Cli.Folder;
using Asya.Cli.Local;
using Asya.Cli.Mesh;
using Asya.Runtime.Protocol;

namespace Asya.Cli.Commands;

/// <summary><c>asya run</c>: up, one envelope through the route, its final state printed, down.</summary>
internal static class RunCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan QuietTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        var reader = new ArgReader("run", args, ["--payload", "--route", "--timeout", "--start-timeout", CommonOptions.ResourcesPathOption], ["--verbose", Asya.Components.ComponentSelection.AllowEmbeddedOption]);
        var mesh = CommonOptions.LoadFolder(reader, "run");
        var payloadText = reader.Get("--payload") ?? throw CliException.Usage("asya run: --payload '<json>' is required");
        var payload = EnvelopeFactory.ParsePayload(payloadText);
        var route = CommonOptions.Route(reader, mesh);
        var timeout = CommonOptions.Duration(reader, "--timeout", TimeSpan.FromSeconds(60));
        var options = CommonOptions.Launch(reader, context);
        CommonOptions.WriteNotes(mesh, context.Stderr);
        await CommonOptions.CheckManifestsAsync(mesh, context, cancellationToken);

        await using var client = await MeshConnector.ConnectAsync(mesh, mesh.Find(route[0])?.Transport, cancellationToken);
        var launches = LaunchPlanner.Plan(mesh, options, FreePort.Next, context.Env);
        await using var supervisor = await MeshSupervisor.StartAsync(mesh, launches, options, context.Stderr, cancellationToken);

        var envelope = EnvelopeFactory.Create(route, payload, context.Time);
        var id = envelope.Id!;
        var sinkSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        supervisor.HopHandled += hop =>
        {
            if (hop.EnvelopeId == id && hop.Actor == Names.Sink)
            {
                sinkSeen.TrySetResult();
            }
        };
        await client.SendAsync(Names.Queue(mesh.Namespace, route[0]), envelope.ToUtf8Bytes(), cancellationToken);
        supervisor.Progress($"sent {id} to {string.Join(" -> ", route)}; waiting up to {timeout.TotalSeconds:0}s");

        var stored = await WaitForResultAsync(client, supervisor, id, timeout, context.Time, cancellationToken);
        if (stored is null)
        {
            ResultPrinter.WriteTrace(context.Stderr, id, supervisor.Hops);
            context.Stderr.WriteLine($"asya: {id}: no result within {timeout.TotalSeconds:0}s");
            return ExitCodes.Failed;
        }

        // Fan-out children travel on after the first envelope finished: let the queues run empty before stopping.
        await WaitForQuietAsync(client, mesh, launches, context.Time, cancellationToken);

        // x-sink logs its event just after storing; give the log line a moment so the trace is complete.
        await Task.WhenAny(sinkSeen.Task, Task.Delay(TimeSpan.FromSeconds(2), cancellationToken));
        await supervisor.StopAsync();
        ResultPrinter.WriteTrace(context.Stderr, id, supervisor.Hops);
        context.Stdout.WriteLine(ResultPrinter.Indent(stored));
        var phase = ResultPrinter.Phase(stored);
        context.Stderr.WriteLine($"asya: {id}: {phase ?? "(no status)"}");
        return phase == EnvelopePhase.Succeeded ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static async Task WaitForQuietAsync(
        IMeshClient client, MeshFolder mesh, IReadOnlyList<SidecarLaunch> launches, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + QuietTimeout;
        var queues = launches.Select(l => Names.Queue(mesh.Namespace, l.Actor)).ToList();
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

    private static async Task<byte[]?> WaitForResultAsync(
        IMeshClient client, MeshSupervisor supervisor, string id, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            if (await client.GetResultAsync(id, cancellationToken) is { } stored)
            {
                return stored;
            }

            if (supervisor.Crashed.IsCompleted)
            {
                var crashed = await supervisor.Crashed;
                throw CliException.Failed($"actor '{crashed.Name}' stopped while {id} was in flight");
            }

            if (time.GetUtcNow() >= deadline)
            {
                return null;
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }
}
