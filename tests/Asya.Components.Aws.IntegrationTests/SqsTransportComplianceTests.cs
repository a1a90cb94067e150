using Asya.Components.Compliance;

namespace Asya.Components.Aws.IntegrationTests;

public sealed class SqsTransportComplianceTests(SqsTransportFixture fixture) : TransportCompliance<SqsTransportFixture>(fixture);
