using Asya.Cli.Cli;
using Asya.Cli.Folder;
using Asya.Cli.Local;
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

        return MeshFolderLoader.Load(reader.Positionals[0]);
    }

    public static TimeSpan Duration(ArgReader reader, string option, TimeSpan defaultValue)
    {
        if (reader.Get(option) is not { } text)
        {
            return defaultValue;
        }

        return MetadataReader.TryParseDuration(text, bareNumberIsMilliseconds: false, out var value) && value > TimeSpan.Zero
            ? value
            : throw CliException.Usage($"{option}: '{text}' is not a positive duration (e.g. 60s, 2m, 1m30s, or seconds)");
    }

    public static LaunchOptions Launch(ArgReader reader, CommandContext context)
    {
        var runtime = RepoLocator.RuntimeFile(context.Env, AppContext.BaseDirectory);
        if (!File.Exists(runtime))
        {
            throw CliException.Config($"Python runtime file not found: {runtime} (set {RepoLocator.RuntimeEnv} to the runtime file)");
        }

        return new LaunchOptions(SelfCommand.Current(), RepoLocator.Python(context.Env), runtime)
        {
            StartTimeout = Duration(reader, "--start-timeout", TimeSpan.FromSeconds(90)),
            Verbose = reader.Has("--verbose"),
        };
    }

    public static IReadOnlyList<string> Route(ArgReader reader, MeshFolder mesh) =>
        reader.Get("--route") is { } text ? MeshFolderLoader.ParseRoute(text, mesh) : mesh.DefaultRoute;

    public static void WriteNotes(MeshFolder mesh, TextWriter stderr)
    {
        foreach (var note in mesh.Notes)
        {
            stderr.WriteLine($"asya: note: {note}");
        }
    }
}
