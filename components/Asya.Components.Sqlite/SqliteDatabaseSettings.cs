namespace Asya.Components.Sqlite;

/// <summary>How to open one SQLite database file.</summary>
/// <param name="DataSource">File path, or a name for a shared in-memory database.</param>
/// <param name="InMemory">True for <c>:memory:</c> (shared cache, lives while the component is open).</param>
/// <param name="BusyTimeout">How long SQLite waits for another connection's lock.</param>
/// <param name="CommandTimeout">Per-statement timeout.</param>
/// <param name="Wal">Use write-ahead logging (readers never block the writer).</param>
public sealed record SqliteDatabaseSettings(string DataSource, bool InMemory, TimeSpan BusyTimeout, TimeSpan CommandTimeout, bool Wal);
