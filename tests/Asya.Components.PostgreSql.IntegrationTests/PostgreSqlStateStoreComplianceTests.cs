using Asya.Components.Compliance;

namespace Asya.Components.PostgreSql.IntegrationTests;

public sealed class PostgreSqlStateStoreComplianceTests(PostgreSqlStateStoreFixture fixture) : StateStoreCompliance<PostgreSqlStateStoreFixture>(fixture);
