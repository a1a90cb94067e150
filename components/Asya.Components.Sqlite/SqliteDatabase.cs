using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Asya.Components.Sqlite;

/// <summary>
/// One SQLite file: a small pool of open connections (pragmas set once each, prepared commands kept) and an
/// in-process write lock. SQLite allows one writer at a time; serialising our own writers here means the busy
/// handler (and its millisecond sleeps) only comes into play when another process holds the lock.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private const int MaxIdleConnections = 8;

    private readonly ConcurrentBag<PooledConnection> _idle = [];
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly string _connectionString;
    private readonly SqliteDatabaseSettings _settings;
    private readonly int _commandTimeoutSeconds;
    private SqliteConnection? _keepAlive;
    private int _idleCount;
    private volatile bool _disposed;

    private SqliteDatabase(SqliteDatabaseSettings settings)
    {
        _settings = settings;
        _commandTimeoutSeconds = Math.Max(1, (int)Math.Ceiling(settings.CommandTimeout.TotalSeconds));
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = settings.DataSource,
            Mode = settings.InMemory ? SqliteOpenMode.Memory : SqliteOpenMode.ReadWriteCreate,
            Cache = settings.InMemory ? SqliteCacheMode.Shared : SqliteCacheMode.Default,
            Pooling = false,
            DefaultTimeout = _commandTimeoutSeconds,
        };
        _connectionString = builder.ToString();
    }

    public string DataSource => _settings.DataSource;

    /// <summary>Opens the file (creating it), switches it to WAL when asked, and runs <paramref name="schema"/>.</summary>
    public static SqliteDatabase Open(SqliteDatabaseSettings settings, string schema)
    {
        var database = new SqliteDatabase(settings);
        try
        {
            var connection = database.Rent();
            try
            {
                if (settings.InMemory)
                {
                    // A shared-cache memory database disappears with its last connection.
                    database._keepAlive = new SqliteConnection(database._connectionString);
                    database._keepAlive.Open();
                }
                else if (settings.Wal)
                {
                    connection.Execute("PRAGMA journal_mode = WAL;");
                }

                connection.Execute(schema);
            }
            finally
            {
                database.Return(connection);
            }
        }
        catch
        {
            database.Dispose();
            throw;
        }

        return database;
    }

    /// <summary>Runs a read on a pooled connection (WAL readers do not take the write lock).</summary>
    public T Read<T>(Func<PooledConnection, T> work)
    {
        var connection = Rent();
        try
        {
            return work(connection);
        }
        finally
        {
            Return(connection);
        }
    }

    /// <summary>Runs a write under the in-process write lock.</summary>
    public async ValueTask<T> WriteAsync<T>(Func<PooledConnection, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Read(work);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> inside <c>BEGIN IMMEDIATE</c> … <c>COMMIT</c>, under the write lock.</summary>
    public ValueTask<T> TransactionAsync<T>(Func<PooledConnection, T> work, CancellationToken cancellationToken) =>
        WriteAsync(
            connection =>
            {
                // IMMEDIATE takes the write lock up front, so a concurrent writer in another process makes us wait in
                // the busy handler instead of failing later when a read would be upgraded to a write.
                connection.Execute("BEGIN IMMEDIATE;");
                try
                {
                    var result = work(connection);
                    connection.Execute("COMMIT;");
                    return result;
                }
                catch
                {
                    if (!connection.Connection.AutoCommit())
                    {
                        connection.Execute("ROLLBACK;");
                    }

                    throw;
                }
            },
            cancellationToken);

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }

        _keepAlive?.Dispose();
        _writeLock.Dispose();
    }

    private PooledConnection Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out var pooled))
        {
            Interlocked.Decrement(ref _idleCount);
            return pooled;
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            pooled = new PooledConnection(connection, _commandTimeoutSeconds);
            var busyMs = (long)_settings.BusyTimeout.TotalMilliseconds;
            pooled.Execute(string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {busyMs};"));
            if (_settings.Wal && !_settings.InMemory)
            {
                // In WAL mode NORMAL is safe against application crashes (only an OS crash can lose the last commits)
                // and avoids an fsync per commit.
                pooled.Execute("PRAGMA synchronous = NORMAL;");
            }

            return pooled;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Return(PooledConnection connection)
    {
        if (_disposed || Interlocked.Increment(ref _idleCount) > MaxIdleConnections)
        {
            Interlocked.Decrement(ref _idleCount);
            connection.Dispose();
            return;
        }

        _idle.Add(connection);
        if (_disposed && _idle.TryTake(out var late))
        {
            late.Dispose();
        }
    }
}
