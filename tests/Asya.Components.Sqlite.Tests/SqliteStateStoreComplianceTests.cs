using Asya.Components.Compliance;

namespace Asya.Components.Sqlite.Tests;

public sealed class SqliteStateStoreComplianceTests(SqliteStateStoreFixture fixture) : StateStoreCompliance<SqliteStateStoreFixture>(fixture);
