using Asya.Gateway.Tasks.Compliance;
using Asya.Gateway.Tasks.Sqlite;
using Asya.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Asya.Gateway.Tests.Tasks;

/// <summary>SQLite task stores, one file per storage name in a temporary data dir.</summary>
public sealed class SqliteTaskStoreFixture : ITaskStoreFixture, IDisposable
{
    private readonly TempDirectory _directory = new();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public async Task<Gateway.Tasks.ITaskStore> OpenAsync(string name) =>
        await SqliteTaskStore.OpenInDirectoryAsync(_directory.Combine(name), Clock, logger: null, default);

    public async Task<IReadOnlyList<string>> ReadStoredKindsAsync(string name, string taskId)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory.Combine(name), SqliteTaskStore.FileName)};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT kind FROM task_updates WHERE task_id = $id ORDER BY seq";
        command.Parameters.AddWithValue("$id", taskId);
        await using var reader = await command.ExecuteReaderAsync();
        var kinds = new List<string>();
        while (await reader.ReadAsync())
        {
            kinds.Add(reader.GetString(0));
        }

        return kinds;
    }

    public void Dispose() => _directory.Dispose();
}
