using Asya.Cli.Cli;
using Asya.Cli.Mesh;

namespace Asya.Cli.Commands;

/// <summary><c>asya result</c>: the finished envelope of an id, or exit 1 when x-sink has not stored it yet.</summary>
internal static class ResultCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        var reader = new ArgReader("result", args, [CommonOptions.ResourcesPathOption], [Asya.Components.ComponentSelection.AllowEmbeddedOption]);
        if (reader.Positionals.Count != 2)
        {
            throw CliException.Usage("asya result: expected <folder> <id> (see asya result --help)");
        }

        var folderArgs = reader.Get(CommonOptions.ResourcesPathOption) is { } resources
            ? new[] { reader.Positionals[0], CommonOptions.ResourcesPathOption, resources }
            : [reader.Positionals[0]];
        var mesh = CommonOptions.LoadFolder(new ArgReader("result", folderArgs, [CommonOptions.ResourcesPathOption], [Asya.Components.ComponentSelection.AllowEmbeddedOption]), "result");
        var id = reader.Positionals[1];
        await using var client = await MeshConnector.ConnectAsync(mesh, null, cancellationToken);
        if (await client.GetResultAsync(id, cancellationToken) is not { } stored)
        {
            context.Stderr.WriteLine($"asya: {id}: not found yet");
            return ExitCodes.Failed;
        }

        context.Stdout.WriteLine(ResultPrinter.Indent(stored));
        return ExitCodes.Ok;
    }
}
