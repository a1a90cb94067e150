using Asya.Gateway.Tasks.Compliance;

namespace Asya.Gateway.PostgreSql.IntegrationTests;

public sealed class PostgreSqlTaskEventHubComplianceTests(PostgreSqlTaskEventHubFixture fixture)
    : TaskEventHubCompliance<PostgreSqlTaskEventHubFixture>(fixture);
