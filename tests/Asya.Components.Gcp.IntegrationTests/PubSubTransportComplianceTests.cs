using Asya.Components.Compliance;

namespace Asya.Components.Gcp.IntegrationTests;

public sealed class PubSubTransportComplianceTests(PubSubTransportFixture fixture) : TransportCompliance<PubSubTransportFixture>(fixture);
