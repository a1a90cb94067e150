namespace Asya.Bench.Brokers;

/// <summary>Every broker the bench knows, by <c>--transport</c> name.</summary>
internal static class BrokerBenches
{
    // One line per broker; each file under Brokers/ holds its raw loop.
    private static readonly IBrokerBench[] All =
    [
        new SqliteBench(),
        new RedisBench(),
        new SqsBench(),
        new PubSubBench(),
        new RabbitMqBench(),
    ];

    public static IReadOnlyList<string> Names => [.. All.Select(b => b.Name)];

    /// <summary>The brokers that need no address, and those whose address variable is set.</summary>
    public static IReadOnlyList<string> Reachable =>
        [.. All.Where(b => b.AddressVariable is null || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(b.AddressVariable))).Select(b => b.Name)];

    public static IBrokerBench? Find(string name) => All.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase));
}
