namespace Asya.Components;

/// <summary>Finds the known key nearest to a misspelled one (case-insensitive Levenshtein distance).</summary>
public static class KeySuggester
{
    /// <summary>The candidate nearest to <paramref name="key"/>, or <c>null</c> when none is close enough to suggest.</summary>
    public static string? Nearest(string key, IEnumerable<string> candidates, int? maxDistance = null)
    {
        var lower = key.ToLowerInvariant();
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(lower, candidate.ToLowerInvariant());
            if (distance < bestDistance || (distance == bestDistance && string.CompareOrdinal(candidate, best) < 0))
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        // Far-off suggestions mislead more than they help.
        return best is not null && bestDistance <= (maxDistance ?? Math.Max(2, key.Length / 3)) ? best : null;
    }

    /// <summary>Levenshtein distance (ordinal).</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
