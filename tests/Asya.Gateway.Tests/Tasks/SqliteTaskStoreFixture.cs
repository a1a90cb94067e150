using Asya.Gateway.Tasks.Compliance;
using Asya.Gateway.Tasks.Sqlite;
using Asya.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Asya.Gateway.Tests.Tasks;

/// <summary>SQLite task stores, one file per storage name in a temporary data dir.</summary>
public sealed class SqliteTaskStoreFixture : ITaskStoreFixture, IDisposable
{
    private readonly TempDirectory _directory = new();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public async Task<Gateway.Tasks.ITaskStore> OpenAsync(string name) =>
        await SqliteTaskStore.OpenInDirectoryAsync(_directory.Combine(name), Clock, logger: null, default);

    public void Dispose() => _directory.Dispose();
}
