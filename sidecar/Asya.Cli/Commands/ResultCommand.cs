using Asya.Cli.Cli;
using Asya.Cli.Mesh;
using Asya.Mesh.Client;

namespace Asya.Cli.Commands;

/// <summary>
/// <c>asya result</c>: the envelope of an id as x-sink stored it (exit 0 succeeded, 1 failed), else as x-sump stored it
/// (dead-lettered, exit 1), else exit 3 "not found yet".
/// </summary>
internal static class ResultCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        var reader = new ArgReader("result", args);
        if (reader.Positionals.Count != 2)
        {
            throw CliException.Usage("asya result: expected <folder> <id> (see asya result --help)");
        }

        var folderArgs = reader.Get(CommonOptions.ResourcesPathOption) is { } resources
            ? new[] { reader.Positionals[0], CommonOptions.ResourcesPathOption, resources }
            : [reader.Positionals[0]];
        var mesh = CommonOptions.LoadFolder(new ArgReader("result", folderArgs), "result");
        var id = reader.Positionals[1];
        await using var client = await FolderMesh.ConnectAsync(mesh, null, cancellationToken);
        if (await client.FindAsync(id, cancellationToken) is not { } found)
        {
            context.Stderr.WriteLine($"asya: {id}: not found yet (neither x-sink nor x-sump has it)");
            return ExitCodes.NotFound;
        }

        context.Stdout.WriteLine(ResultPrinter.Indent(found.Body));
        context.Stderr.WriteLine($"asya: {found.Describe()}");
        return found.Succeeded ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
