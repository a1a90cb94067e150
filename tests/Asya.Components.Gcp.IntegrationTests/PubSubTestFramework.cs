using Asya.Testing.Brokers;
using Xunit.Abstractions;

[assembly: TestFramework("Asya.Components.Gcp.IntegrationTests.PubSubTestFramework", "Asya.Components.Gcp.IntegrationTests")]

namespace Asya.Components.Gcp.IntegrationTests;

/// <summary>Skips this assembly's facts when no emulator is configured outside CI (see <see cref="BrokerTestFramework"/>).</summary>
public sealed class PubSubTestFramework(IMessageSink messageSink) : BrokerTestFramework(messageSink, PubSubTestEnvironment.Broker);
