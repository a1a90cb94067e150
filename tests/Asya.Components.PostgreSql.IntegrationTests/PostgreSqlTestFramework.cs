using Asya.Testing.Brokers;
using Xunit.Abstractions;

[assembly: TestFramework("Asya.Components.PostgreSql.IntegrationTests.PostgreSqlTestFramework", "Asya.Components.PostgreSql.IntegrationTests")]

namespace Asya.Components.PostgreSql.IntegrationTests;

/// <summary>Skips this assembly's facts when no PostgreSQL is configured outside CI (see <see cref="BrokerTestFramework"/>).</summary>
public sealed class PostgreSqlTestFramework(IMessageSink messageSink) : BrokerTestFramework(messageSink, PostgreSqlTestEnvironment.Server);
