using Asya.Cli.Cli;
using Asya.Cli.Folder;
using Asya.Cli.Mesh;
using Asya.Mesh.Client;
using Asya.Runtime.Protocol;

namespace Asya.Cli.Commands;

/// <summary><c>asya send</c>: one envelope onto the first queue of the route; prints its id.</summary>
internal static class SendCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        var reader = new ArgReader("send", args);
        var mesh = CommonOptions.LoadFolder(reader, "send");
        var payloadText = reader.Get("--payload") ?? throw CliException.Usage("asya send: --payload '<json>' is required");
        var payload = PayloadArgument.Parse(payloadText);
        var route = CommonOptions.Route(reader, mesh);
        var envelope = EnvelopeFactory.Create(route, payload, context.Time);
        await using var client = await FolderMesh.ConnectAsync(mesh, mesh.Find(route[0])?.Transport, cancellationToken);
        await client.SendAsync(ActorNames.Queue(mesh.Namespace, route[0]), envelope.ToUtf8Bytes(), cancellationToken);
        context.Stdout.WriteLine(envelope.Id);
        return ExitCodes.Ok;
    }
}
