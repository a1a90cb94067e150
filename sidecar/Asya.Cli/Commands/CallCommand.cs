using System.Text.Json.Nodes;
using Asya.Cli.Cli;
using Asya.Cli.Gateway;
using Asya.Cli.Local;
using Asya.Cli.Mesh;
using Asya.Gateway.Api;
using Asya.Gateway.Tasks;
using Asya.Runtime.Protocol;

namespace Asya.Cli.Commands;

/// <summary>
/// <c>asya call</c>: submits a task through the gateway of a running <c>asya up</c>, streams its status lines and FLY
/// text to stderr as they come, prints the final payload on stdout; exit codes as <c>asya run</c>.
/// </summary>
internal static class CallCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        var reader = new ArgReader("call", args);
        if (reader.Positionals.Count != 2)
        {
            throw CliException.Usage($"asya call: expected <folder> <flow|actor>, got: {string.Join(" ", reader.Positionals)} (see asya call --help)");
        }

        var folder = reader.Positionals[0];
        // The folder's flows and data directory (where the running up left its gateway's address) are all call needs.
        var mesh = Folder.MeshFolderLoader.Load(folder);
        var name = reader.Positionals[1];
        var payloadText = reader.Get("--payload") ?? throw CliException.Usage("asya call: --payload '<json>' is required");
        var payload = JsonNode.Parse(PayloadArgument.Parse(payloadText).GetRawText(), documentOptions: ProtocolJson.DocumentOptions);
        var timeout = CommonOptions.Duration(reader, "--timeout");
        var body = Target(mesh, name);
        body["payload"] = payload;
        var url = reader.Get("--gateway") ?? RunningGateway.Find(mesh.DataDir)
            ?? throw CliException.Usage($"asya call: no 'asya up {folder}' with a gateway is running; start one, or give --gateway <url>");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
        {
            throw CliException.Usage($"--gateway: '{url}' is not an http:// or https:// URL");
        }

        using var api = new TasksApiClient(url, context.Env(TasksApiClient.ApiKeyVariable));
        var id = await api.SubmitAsync(body, cancellationToken);
        context.Stderr.WriteLine($"asya: task {id} submitted to {(body.ContainsKey("flow") ? "flow" : "actor")} {name} at {api.BaseUrl}");
        var printer = new TaskEventPrinter(context.Stderr, showStatus: true, api);
        using var deadline = new CancellationTokenSource(timeout, context.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        TaskEventBody? final = null;
        try
        {
            await foreach (var item in api.EventsAsync(id, linked.Token))
            {
                if (printer.Write(item) is { } terminal)
                {
                    final = terminal;
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
        }

        printer.EndText();
        if (final is null)
        {
            context.Stderr.WriteLine(deadline.IsCancellationRequested
                ? $"asya: {id}: not finished within {timeout.TotalSeconds:0}s; it goes on: curl {api.TaskUrl(id)}"
                : $"asya: {id}: the gateway closed the event stream before the task finished: curl {api.TaskUrl(id)}");
            return ExitCodes.Failed;
        }

        if (final.Status == TaskState.Succeeded)
        {
            context.Stdout.WriteLine(ResultPrinter.Indent(System.Text.Encoding.UTF8.GetBytes(final.Result?.ToJsonString() ?? "null")));
            return ExitCodes.Ok;
        }

        return ExitCodes.Failed;
    }

    /// <summary><c>{"flow": name}</c> for one of the folder's flows, else <c>{"actor": name}</c> for one of its actors.</summary>
    private static JsonObject Target(Folder.MeshFolder mesh, string name)
    {
        if (mesh.Flows.Find(name) is not null)
        {
            return new JsonObject { ["flow"] = name };
        }

        if (mesh.Find(name) is not null)
        {
            return new JsonObject { ["actor"] = name };
        }

        var flows = mesh.Flows.Flows.Count == 0 ? "none" : string.Join(", ", mesh.Flows.Flows.Select(f => f.Name));
        throw CliException.Usage($"asya call: '{name}' is neither a flow nor an actor of {mesh.Root} (flows: {flows}; actors: {string.Join(", ", mesh.Actors.Select(a => a.Name))})");
    }
}
