using Asya.Cli.Cli;
using Asya.Cli.Mesh;
using Asya.Components;
using Asya.Runtime.Protocol;

namespace Asya.Cli.Commands;

/// <summary>
/// <c>asya components check</c>: loads and validates every manifest of the resources path exactly as the sidecar of
/// <c>--app-id</c> would, connects to nothing, and prints one row per Component (loaded / skipped and why / error) with
/// its warnings. Exit 0 when nothing is wrong, 1 otherwise.
/// </summary>
internal static class ComponentsCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        var reader = new ArgReader("components", args);
        if (reader.Positionals is not ["check"])
        {
            throw CliException.Usage("usage: asya components check [--resources-path <dir>[:<dir>]] [--app-id <id>] [--namespace <ns>] (see asya components --help)");
        }

        var paths = CommonOptions.ResourcesPaths(reader.Get(CommonOptions.ResourcesPathOption) ?? ".").ToList();
        var appId = reader.Get("--app-id") ?? string.Empty;
        await using var services = ManifestValidation.Services();
        var check = await ManifestValidation.CheckAppAsync(
            services, paths, appId, reader.Get("--namespace"), reader.Get(ManifestValidation.TransportOption),
            crew: appId == ActorNames.Sink, reader.Has(ComponentSelection.AllowEmbeddedOption), context.Env, cancellationToken);
        Write(context.Stdout, check);
        return check.HasErrors ? ExitCodes.Failed : ExitCodes.Ok;
    }

    private static void Write(TextWriter output, AppCheck check)
    {
        var rows = check.Report.Components
            .Select(c => (Name: c.Name, Type: c.Type.Length == 0 ? "-" : c.Type, Where: Relative(c.SourceFile) + ":" + c.Line, Status: Status(c), c.Warnings))
            .ToList();
        var header = (Name: "COMPONENT", Type: "TYPE", Where: "FILE:LINE", Status: "STATUS");
        var nameWidth = rows.Select(r => r.Name.Length).Append(header.Name.Length).Max();
        var typeWidth = rows.Select(r => r.Type.Length).Append(header.Type.Length).Max();
        var whereWidth = rows.Select(r => r.Where.Length).Append(header.Where.Length).Max();
        output.WriteLine($"{header.Name.PadRight(nameWidth)}  {header.Type.PadRight(typeWidth)}  {header.Where.PadRight(whereWidth)}  {header.Status}");
        foreach (var row in rows)
        {
            output.WriteLine($"{row.Name.PadRight(nameWidth)}  {row.Type.PadRight(typeWidth)}  {row.Where.PadRight(whereWidth)}  {row.Status}");
            foreach (var warning in row.Warnings)
            {
                output.WriteLine($"    warning: {warning}");
            }
        }

        if (rows.Count == 0)
        {
            output.WriteLine("(no Component manifests)");
        }

        foreach (var diagnostic in check.Report.Diagnostics)
        {
            var where = diagnostic.Line > 0 ? $"{Relative(diagnostic.SourceFile)}:{diagnostic.Line}" : Relative(diagnostic.SourceFile);
            output.WriteLine($"{(diagnostic.Severity == ManifestSeverity.Error ? "error" : "warning")}: {where}: {diagnostic.Message}");
        }

        foreach (var note in check.Notes)
        {
            output.WriteLine($"warning: {note}");
        }

        foreach (var problem in check.Problems)
        {
            output.WriteLine($"error: {problem}");
        }

        if (check.AppId.Length == 0)
        {
            output.WriteLine("app: any (scopes not applied; give --app-id <actor> to check one actor's components and transport)");
        }
        else if (check.Transport is not null)
        {
            output.WriteLine($"app '{check.AppId}': transport {check.Transport}{(check.Store is null ? string.Empty : $", result store {check.Store}")}");
        }

        var errors = check.Errors.Count();
        var warnings = check.Warnings.Count();
        output.WriteLine(errors == 0 ? $"ok ({warnings} warning(s))" : $"{errors} error(s), {warnings} warning(s)");
    }

    private static string Status(ComponentOutcome outcome) => outcome.Status switch
    {
        ComponentStatus.Loaded => "loaded",
        ComponentStatus.Skipped => $"skipped ({outcome.Reason})",
        _ => $"error: {outcome.Reason}",
    };

    private static string Relative(string path)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
