using Asya.Components.Compliance;

namespace Asya.Components.Sqlite.Tests;

public sealed class SqliteTransportRestartComplianceTests(SqliteTransportFixture fixture) : TransportRestartCompliance<SqliteTransportFixture>(fixture);
