using System.Text.RegularExpressions;
using Asya.Runtime.Protocol;

namespace Asya.Cli.Folder;

/// <summary>
/// Plain handler files: a top-level <c>foo_bar.py</c> not named by any manifest becomes actor <c>foo-bar</c> with
/// handler <c>foo_bar.handle</c> when it defines <c>handle</c>, else <c>foo_bar.foo_bar</c> when it defines a function
/// named like the file. Files starting with <c>_</c> or <c>test_</c>, and files with neither function, are helper
/// modules, not actors.
/// </summary>
internal static partial class HandlerFileScanner
{
    public static (List<ActorDefinition> Actors, List<string> Notes) Scan(string root, ISet<string> manifestModules, Func<string, string> show)
    {
        var actors = new List<ActorDefinition>();
        var notes = new List<string>();
        foreach (var path in Directory.EnumerateFiles(root, "*.py").Order(StringComparer.Ordinal))
        {
            var module = Path.GetFileNameWithoutExtension(path);
            if (manifestModules.Contains(module) || module.StartsWith('_') || module.StartsWith("test_", StringComparison.Ordinal))
            {
                continue;
            }

            var source = File.ReadAllText(path);
            var function = Defines(source, "handle") ? "handle" : Defines(source, module) ? module : null;
            if (function is null)
            {
                notes.Add($"{show(path)}: no top-level function 'handle' or '{module}'; treated as a helper module, not an actor");
                continue;
            }

            var actor = module.Replace('_', '-');
            if (!ActorNames.IsValid(actor))
            {
                throw Cli.CliException.Config($"{show(path)}: actor name '{actor}' (from the file name) is not a DNS label; rename the file (lower-case letters, digits, '_') or add an AsyncActor manifest");
            }

            actors.Add(new ActorDefinition(actor, $"{module}.{function}", show(path)));
        }

        return (actors, notes);
    }

    private static bool Defines(string source, string function) =>
        Regex.IsMatch(source, $@"^(async[ \t]+)?def[ \t]+{Regex.Escape(function)}[ \t]*\(", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
}
