using Asya.Components.Compliance;

namespace Asya.Components.Gcp.IntegrationTests;

[Collection(EmulatorRestartGroup.Name)]
public sealed class PubSubTransportRestartComplianceTests(PubSubTransportFixture fixture) : TransportRestartCompliance<PubSubTransportFixture>(fixture);
