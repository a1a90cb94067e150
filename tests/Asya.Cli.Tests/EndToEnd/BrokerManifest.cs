using Asya.Testing;
using Asya.Testing.Brokers;

namespace Asya.Cli.Tests.EndToEnd;

/// <summary>
/// A copy of an example broker manifest (<c>examples/brokers/NAME</c>) pointed at the broker under test: the example's
/// default address is replaced by the <c>ASYA_TEST_*</c> endpoint, so a broker moved with <c>ASYA_*_PORT</c> (or a
/// private instance) is the one the pipeline runs on.
/// </summary>
internal sealed class BrokerManifest : IDisposable
{
    /// <summary>The address each example manifest names, as it is written there.</summary>
    private static readonly Dictionary<string, string> ExampleAddresses = new(StringComparer.Ordinal)
    {
        ["redis"] = "localhost:6379",
        ["rabbitmq"] = "amqp://guest:guest@127.0.0.1:5672/",
        ["sqs"] = "http://127.0.0.1:9324",
        ["pubsub"] = "localhost:8085",
    };

    private readonly TempDirectory _folder = new();

    public BrokerManifest(string broker, BrokerEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var example = Path.Combine(RepoPaths.Root, "examples", "brokers", broker, "pubsub.yaml");
        var text = File.ReadAllText(example);
        var address = ExampleAddresses[broker];
        if (!text.Contains(address, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{example} no longer names {address}; update {nameof(BrokerManifest)}");
        }

        File.WriteAllText(_folder.Combine("pubsub.yaml"), text.Replace(address, environment.RequireEndpoint(), StringComparison.Ordinal));
    }

    /// <summary>The folder to pass as <c>--resources-path</c>.</summary>
    public string Folder => _folder.Path;

    public void Dispose() => _folder.Dispose();
}
