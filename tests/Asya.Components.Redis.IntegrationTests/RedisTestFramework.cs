using Asya.Testing.Brokers;
using Xunit.Abstractions;

[assembly: TestFramework("Asya.Components.Redis.IntegrationTests.RedisTestFramework", "Asya.Components.Redis.IntegrationTests")]

namespace Asya.Components.Redis.IntegrationTests;

/// <summary>Skips this assembly's facts when no Redis is configured outside CI (see <see cref="BrokerTestFramework"/>).</summary>
public sealed class RedisTestFramework(IMessageSink messageSink) : BrokerTestFramework(messageSink, RedisTestEnvironment.Broker);
