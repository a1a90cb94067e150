namespace Asya.Bench.Brokers;

/// <summary>
/// A broker the bench can run the mesh hop on, with its own baseline: the broker's raw consume → publish → ack loop
/// written against the broker's own client (not our transport), measured in the same run so the ratio means something.
/// </summary>
internal interface IBrokerBench
{
    /// <summary>The <c>--transport</c> name, e.g. <c>rabbitmq</c>.</summary>
    string Name { get; }

    /// <summary>Name of the raw-loop scenario in the report, e.g. <c>raw rabbitmq consume-publish-ack</c>.</summary>
    string RawLoopName { get; }

    /// <summary>Environment variable with the broker address, checked before anything runs (null: none needed).</summary>
    string? AddressVariable { get; }

    /// <summary>Largest body the broker takes (the footprint's 1 MiB envelopes are skipped above it).</summary>
    int MaxBodyBytes => int.MaxValue;

    /// <summary>The Dapr component (type and metadata) the sidecar and the bench load for the mesh hop.</summary>
    BenchComponent Component(BenchFolder folder);

    /// <summary>Sends <see cref="BenchOptions.Messages"/> envelopes, then times receive → send to a second queue → ack.</summary>
    Task<ScenarioResult> RunRawLoopAsync(BenchOptions options, CancellationToken cancellationToken);
}
