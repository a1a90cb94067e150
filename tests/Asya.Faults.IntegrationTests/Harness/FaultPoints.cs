namespace Asya.Faults.IntegrationTests.Harness;

/// <summary>Seeded random moments of a run, as numbers of envelopes finished (a kill "after 37 % of the load").</summary>
internal static class FaultPoints
{
    /// <summary><paramref name="count"/> ascending progress points between 5 % and 90 % of <paramref name="total"/>.</summary>
    public static IReadOnlyList<int> Spread(Random random, int total, int count)
    {
        ArgumentNullException.ThrowIfNull(random);
        return [.. Enumerable.Range(0, count).Select(_ => (int)(total * (0.05 + random.NextDouble() * 0.85))).Order()];
    }

    /// <summary>An injector that waits for each point (a condition with a deadline, not a sleep) and then runs <paramref name="fault"/>.</summary>
    public static ScenarioRunner.Injector AtEach(IReadOnlyList<int> points, Func<FaultMesh, Task> fault) =>
        async (mesh, ids, ct) =>
        {
            foreach (var point in points)
            {
                await mesh.WaitFinishedAsync(ids, point, TimeSpan.FromSeconds(120), ct);
                await fault(mesh);
            }
        };
}
