using System.Text.RegularExpressions;

namespace Asya.Cli.Folder;

/// <summary>Naming rules shared by the folder loader and the commands.</summary>
internal static partial class Names
{
    public const string Sink = "x-sink";
    public const string Sump = "x-sump";
    public const string DefaultNamespace = "default";

    public static bool IsCrew(string name) => name is Sink or Sump;

    /// <summary>A DNS label of at most 63 characters, as actor names and namespaces must be.</summary>
    public static bool IsDnsLabel(string name) => name.Length is > 0 and <= 63 && DnsLabel().IsMatch(name);

    /// <summary><c>module.function</c> or <c>module.Class.method</c>: dotted Python identifiers, at least two.</summary>
    public static bool IsHandlerReference(string handler) => HandlerReference().IsMatch(handler);

    /// <summary>The queue of <paramref name="actor"/> in <paramref name="ns"/>.</summary>
    public static string Queue(string ns, string actor) => $"asya-{ns}-{actor}";

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")]
    private static partial Regex HandlerReference();
}
