using Asya.Gateway.Tasks.Compliance;

namespace Asya.Gateway.Tests.Tasks;

public sealed class SqliteTaskStoreComplianceTests(SqliteTaskStoreFixture fixture) : TaskStoreCompliance<SqliteTaskStoreFixture>(fixture);
