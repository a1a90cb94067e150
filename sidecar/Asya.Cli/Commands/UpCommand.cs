using Asya.Cli.Cli;
using Asya.Cli.Local;

namespace Asya.Cli.Commands;

/// <summary><c>asya up</c>: runs every actor of a folder, and its gateway, until Ctrl-C/SIGTERM.</summary>
internal static class UpCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        var reader = new ArgReader("up", args);
        var mesh = CommonOptions.LoadFolder(reader, "up");
        var options = CommonOptions.Launch(reader, context) with { ShowHops = true, Gateway = CommonOptions.Gateway(reader, LocalGateway.DefaultUpAddress) };
        CommonOptions.WriteNotes(mesh, context.Stderr);
        await CommonOptions.CheckManifestsAsync(mesh, context, cancellationToken);
        var launches = LaunchPlanner.Plan(mesh, options, FreePort.Next, context.Env);
        await using var supervisor = await MeshSupervisor.StartAsync(mesh, launches, options, context.Stderr, context.Time, cancellationToken);
        var folder = reader.Positionals[0];
        if (options.Gateway is { } gateway)
        {
            RunningGateway.Write(mesh.DataDir, gateway.ApiUrl, Environment.ProcessId);
            var flows = mesh.Flows.Flows.Count == 0 ? "no flows" : $"flows: {string.Join(", ", mesh.Flows.Flows.Select(f => f.Name))}";
            supervisor.Progress($"gateway {gateway.ApiUrl} (tasks API {gateway.ApiUrl}/api/v1/mesh; {flows}). Call with: asya call {folder} <flow|actor> --payload '<json>'");
        }

        try
        {
            supervisor.Progress($"up; route {string.Join(" -> ", mesh.DefaultRoute)}. Send with: asya send {folder} --payload '<json>'. Ctrl-C stops.");
            var stopped = Task.Delay(Timeout.Infinite, cancellationToken);
            await Task.WhenAny(stopped, supervisor.GaveUp);
            await supervisor.StopAsync();
        }
        finally
        {
            RunningGateway.Remove(mesh.DataDir, Environment.ProcessId);
        }

        if (supervisor.GaveUp.IsCompleted)
        {
            // A sidecar that keeps dying would leave its queue piling up unseen: stop the whole mesh and say so.
            throw await supervisor.GaveUp;
        }

        supervisor.Progress("stopped");
        return ExitCodes.Ok;
    }
}
