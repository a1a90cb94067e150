using System.Text.RegularExpressions;

namespace Asya.Runtime.Protocol;

/// <summary>Actor names are DNS labels (mesh.md §1): they become queue names, Kubernetes names and label values.</summary>
public static partial class ActorNames
{
    /// <summary>Longest actor name.</summary>
    public const int MaxLength = 63;

    /// <summary>True for a DNS label: lower-case letters, digits and '-', not starting or ending with '-', at most 63 characters.</summary>
    public static bool IsValid(string? name) => name is { Length: > 0 and <= MaxLength } && DnsLabel().IsMatch(name);

    // \z, not $: $ would also accept a name ending in a newline.
    [GeneratedRegex(@"^[a-z0-9]([a-z0-9-]*[a-z0-9])?\z")]
    private static partial Regex DnsLabel();
}
