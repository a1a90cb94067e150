using Asya.Components.Compliance;

namespace Asya.Components.RabbitMQ.IntegrationTests;

[Collection(BrokerRestartGroup.Name)]
public sealed class RabbitMqTransportRestartComplianceTests(RabbitMqTransportFixture fixture) : TransportRestartCompliance<RabbitMqTransportFixture>(fixture);
