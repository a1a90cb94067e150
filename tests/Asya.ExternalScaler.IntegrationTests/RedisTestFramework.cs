using Asya.Testing.Brokers;
using Xunit.Abstractions;

[assembly: TestFramework("Asya.ExternalScaler.IntegrationTests.RedisTestFramework", "Asya.ExternalScaler.IntegrationTests")]

namespace Asya.ExternalScaler.IntegrationTests;

/// <summary>Skips this assembly's facts when no Redis is configured outside CI (see <see cref="BrokerTestFramework"/>).</summary>
public sealed class RedisTestFramework(IMessageSink messageSink) : BrokerTestFramework(messageSink, RedisEnvironment.Shared);
