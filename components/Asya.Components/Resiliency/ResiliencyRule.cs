namespace Asya.Components.Resiliency;

/// <summary>
/// Sends errors matching any of <see cref="Errors"/> to policy <see cref="Policy"/>. A pattern with a dot must equal
/// a candidate exactly (<c>requests.exceptions.Timeout</c>); without one it matches a candidate's last dotted
/// segment (<c>Timeout</c>). Candidates are the error type followed by its MRO, so <c>Exception</c> catches all.
/// </summary>
public sealed record ResiliencyRule(IReadOnlyList<string> Errors, string Policy)
{
    /// <summary>True when any pattern matches the error type or one of its bases.</summary>
    public bool Matches(string type, IReadOnlyList<string> mro)
    {
        ArgumentNullException.ThrowIfNull(mro);
        foreach (var pattern in Errors)
        {
            if (MatchesCandidate(pattern, type))
            {
                return true;
            }

            foreach (var candidate in mro)
            {
                if (MatchesCandidate(pattern, candidate))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool MatchesCandidate(string pattern, string candidate)
    {
        if (pattern.Contains('.', StringComparison.Ordinal))
        {
            return string.Equals(pattern, candidate, StringComparison.Ordinal);
        }

        var dot = candidate.LastIndexOf('.');
        var last = dot < 0 ? candidate : candidate[(dot + 1)..];
        return string.Equals(pattern, last, StringComparison.Ordinal);
    }
}
