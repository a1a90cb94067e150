using System.Text.RegularExpressions;

namespace Asya.Cli.Folder;

/// <summary>Handler references of the folder model; actor, queue and crew names are <see cref="Asya.Runtime.Protocol.ActorNames"/>.</summary>
internal static partial class Names
{
    /// <summary><c>module.function</c> or <c>module.Class.method</c>: dotted Python identifiers, at least two.</summary>
    public static bool IsHandlerReference(string handler) => HandlerReference().IsMatch(handler);

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")]
    private static partial Regex HandlerReference();
}
