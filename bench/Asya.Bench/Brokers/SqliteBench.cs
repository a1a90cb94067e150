namespace Asya.Bench.Brokers;

/// <summary>The embedded default: one SQLite file; its raw loop is the transport itself, since SQL is its client.</summary>
internal sealed class SqliteBench : IBrokerBench
{
    public string Name => "sqlite";

    public string RawLoopName => "raw sqlite consume-publish-ack";

    public string? AddressVariable => null;

    public BenchComponent Component(BenchFolder folder) => new("pubsub.sqlite", [("connectionString", folder.DatabasePath)]);

    public async Task<ScenarioResult> RunRawLoopAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        using var folder = new BenchFolder();
        await using var transport = await BenchTransport.CreateAsync(Component(folder), cancellationToken);
        return await TransportLoop.RunAsync(RawLoopName, transport.Transport, options, cancellationToken);
    }
}
