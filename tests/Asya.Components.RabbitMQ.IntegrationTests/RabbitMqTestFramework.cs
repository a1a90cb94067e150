using Asya.Testing.Brokers;
using Xunit.Abstractions;

[assembly: TestFramework("Asya.Components.RabbitMQ.IntegrationTests.RabbitMqTestFramework", "Asya.Components.RabbitMQ.IntegrationTests")]

namespace Asya.Components.RabbitMQ.IntegrationTests;

/// <summary>Skips this assembly's facts when no RabbitMQ is configured outside CI (see <see cref="BrokerTestFramework"/>).</summary>
public sealed class RabbitMqTestFramework(IMessageSink messageSink) : BrokerTestFramework(messageSink, RabbitMqTestEnvironment.Broker);
