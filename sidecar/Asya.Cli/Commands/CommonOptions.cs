using Asya.Cli.Cli;
using Asya.Cli.Folder;
using Asya.Cli.Local;
using Asya.Cli.Mesh;
using Asya.Components.Abstractions;

namespace Asya.Cli.Commands;

/// <summary>Option parsing shared by the commands.</summary>
internal static class CommonOptions
{
    public static MeshFolder LoadFolder(ArgReader reader, string command, int positionals = 1)
    {
        if (reader.Positionals.Count != positionals)
        {
            throw CliException.Usage(reader.Positionals.Count == 0
                ? $"asya {command}: missing <folder> (see asya {command} --help)"
                : $"asya {command}: expected {positionals} argument(s), got: {string.Join(" ", reader.Positionals)}");
        }

        var mesh = MeshFolderLoader.Load(reader.Positionals[0]);
        mesh = mesh with { AllowEmbeddedDefault = reader.Has(Asya.Components.ComponentSelection.AllowEmbeddedOption) };
        return reader.Get(ResourcesPathOption) is { } extra ? mesh with { ResourcesPaths = [.. mesh.ResourcesPaths, .. ResourcesPaths(extra)] } : mesh;
    }

    /// <summary>Extra folders of Dapr component manifests, as <c>dapr run --resources-path</c> takes them.</summary>
    public const string ResourcesPathOption = "--resources-path";

    /// <summary>
    /// Folders given with <c>--resources-path a[:b]</c>: lets a team run a pipeline folder unchanged on their broker by
    /// pointing at the folder that holds their existing Dapr component manifest.
    /// </summary>
    public static IEnumerable<string> ResourcesPaths(string text)
    {
        var folders = text.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (folders.Length == 0)
        {
            throw CliException.Usage($"{ResourcesPathOption}: give a folder of Dapr component manifests");
        }

        foreach (var folder in folders)
        {
            var full = Path.GetFullPath(folder);
            if (!Directory.Exists(full))
            {
                throw CliException.Config($"{ResourcesPathOption}: {folder}: no such folder");
            }

            yield return full;
        }
    }

    /// <summary>A duration option through the one parser of every Asya process; the default comes from the flag table.</summary>
    public static TimeSpan Duration(ArgReader reader, string option) => reader.Values.GetDuration(option.TrimStart('-'));

    public static LaunchOptions Launch(ArgReader reader, CommandContext context)
    {
        var runtime = RepoLocator.RuntimeFile(context.Env, AppContext.BaseDirectory);
        if (!File.Exists(runtime))
        {
            throw CliException.Config($"Python runtime file not found: {runtime} (set {RepoLocator.RuntimeEnv} to the runtime file)");
        }

        return new LaunchOptions(SelfCommand.Current(), RepoLocator.Python(context.Env), runtime)
        {
            StartTimeout = Duration(reader, "--start-timeout"),
            Verbose = reader.Has("--verbose"),
        };
    }

    /// <summary>
    /// The gateway to start beside the sidecars (<c>--gateway-addr</c>, else <paramref name="defaultAddress"/>), or null
    /// with <c>--no-gateway</c>.
    /// </summary>
    public static LocalGateway? Gateway(ArgReader reader, string defaultAddress)
    {
        if (reader.Has("--no-gateway"))
        {
            return reader.Has("--gateway-addr") ? throw CliException.Usage("--gateway-addr and --no-gateway: give one of them") : null;
        }

        var gateway = LocalGateway.Parse(reader.Get("--gateway-addr") ?? defaultAddress, FreePort.Next);
        // Said before anything starts, instead of a gateway that dies at its bind with a stack trace.
        return FreePort.IsFree(gateway.Port)
            ? gateway
            : throw CliException.Config(
                $"--gateway-addr: port {gateway.Port} is in use (another asya up?); give another host:port (port 0: a free one) or --no-gateway");
    }

    public static IReadOnlyList<string> Route(ArgReader reader, MeshFolder mesh) =>
        reader.Get("--route") is { } text ? MeshFolderLoader.ParseRoute(text, mesh) : mesh.DefaultRoute;

    /// <summary>
    /// The check <c>asya components check</c> runs, for every app of the folder: an invalid manifest, or a transport that
    /// would silently become the embedded default, stops the command with exit 2 before anything starts.
    /// </summary>
    public static async Task CheckManifestsAsync(MeshFolder mesh, CommandContext context, CancellationToken cancellationToken)
    {
        await ManifestValidation.CheckFolderAsync(mesh, mesh.ResourcesPaths, mesh.AllowEmbeddedDefault, context.Env, cancellationToken);
    }

    public static void WriteNotes(MeshFolder mesh, TextWriter stderr)
    {
        foreach (var note in mesh.Notes)
        {
            stderr.WriteLine($"asya: note: {note}");
        }
    }
}
