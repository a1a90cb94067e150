using Asya.Components.Compliance;

namespace Asya.Components.Aws.IntegrationTests;

[Collection(EmulatorRestarts.Name)]
public sealed class SqsTransportRestartComplianceTests(SqsTransportFixture fixture) : TransportRestartCompliance<SqsTransportFixture>(fixture);
