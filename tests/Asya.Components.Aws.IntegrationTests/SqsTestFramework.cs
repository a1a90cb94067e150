using Asya.Testing.Brokers;
using Xunit.Abstractions;

[assembly: TestFramework("Asya.Components.Aws.IntegrationTests.SqsTestFramework", "Asya.Components.Aws.IntegrationTests")]

namespace Asya.Components.Aws.IntegrationTests;

/// <summary>Skips this assembly's facts when no SQS emulator is configured outside CI (see <see cref="BrokerTestFramework"/>).</summary>
public sealed class SqsTestFramework(IMessageSink messageSink) : BrokerTestFramework(messageSink, SqsTestEnvironment.Broker);
