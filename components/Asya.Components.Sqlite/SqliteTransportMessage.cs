using Asya.Components.Abstractions;

namespace Asya.Components.Sqlite;

/// <summary>A message claimed from the SQLite table; the lease token proves this delivery still owns the row.</summary>
internal sealed class SqliteTransportMessage : TransportMessage
{
    public required long RowId { get; init; }

    public required string LeaseToken { get; init; }
}
