using Asya.Gateway.Tasks.Compliance;

namespace Asya.Gateway.PostgreSql.IntegrationTests;

public sealed class PostgreSqlTaskStoreComplianceTests(PostgreSqlTaskStoreFixture fixture) : TaskStoreCompliance<PostgreSqlTaskStoreFixture>(fixture);
