using Asya.Testing.Brokers;
using Xunit.Abstractions;

[assembly: TestFramework("Asya.Gateway.PostgreSql.IntegrationTests.PostgreSqlTestFramework", "Asya.Gateway.PostgreSql.IntegrationTests")]

namespace Asya.Gateway.PostgreSql.IntegrationTests;

/// <summary>Skips this assembly's facts when no PostgreSQL is configured outside CI; under CI=true they fail instead.</summary>
public sealed class PostgreSqlTestFramework(IMessageSink messageSink) : BrokerTestFramework(messageSink, TestDatabase.Server);
