using Asya.Components.Compliance;

namespace Asya.Components.Sqlite.Tests;

public sealed class SqliteTransportComplianceTests(SqliteTransportFixture fixture) : TransportCompliance<SqliteTransportFixture>(fixture);
