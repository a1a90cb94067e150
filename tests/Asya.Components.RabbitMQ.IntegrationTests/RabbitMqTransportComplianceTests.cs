using Asya.Components.Compliance;

namespace Asya.Components.RabbitMQ.IntegrationTests;

public sealed class RabbitMqTransportComplianceTests(RabbitMqTransportFixture fixture) : TransportCompliance<RabbitMqTransportFixture>(fixture);
