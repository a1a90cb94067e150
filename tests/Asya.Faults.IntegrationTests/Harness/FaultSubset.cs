namespace Asya.Faults.IntegrationTests.Harness;

/// <summary>A load of valid envelopes of which a seeded random subset carries a handler fault.</summary>
internal static class FaultSubset
{
    public static List<ScenarioEnvelope> Load(string prefix, int total, Random random, int faulty, string fault, double seconds = 0)
    {
        ArgumentNullException.ThrowIfNull(random);
        var chosen = new HashSet<int>();
        while (chosen.Count < Math.Min(faulty, total))
        {
            chosen.Add(random.Next(total));
        }

        return [.. Enumerable.Range(0, total).Select(i => chosen.Contains(i)
            ? ScenarioEnvelope.Valid($"{prefix}-{i:D5}", fault, seconds)
            : ScenarioEnvelope.Valid($"{prefix}-{i:D5}"))];
    }
}
