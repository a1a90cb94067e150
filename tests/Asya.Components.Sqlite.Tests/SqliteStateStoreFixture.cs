using Asya.Components.Abstractions;
using Asya.Components.Compliance;
using Asya.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Asya.Components.Sqlite.Tests;

/// <summary>Stores on one database file in a temp folder.</summary>
public sealed class SqliteStateStoreFixture : IStateStoreFixture, IDisposable
{
    private readonly TempDirectory _folder = new();

    // Expiry follows this clock, so TTL cases never race the machine's speed.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    public TimeProvider Clock => _clock;

    public Task PassTimeAsync(TimeSpan time)
    {
        _clock.Advance(time);
        return Task.CompletedTask;
    }

    public async Task<IStateStore> CreateStateStoreAsync()
    {
        var store = (IStateStore)new SqliteStateStoreFactory().Create(new TestServices(_clock));
        await store.InitAsync(
            ComponentSpec.Create("results", "state.sqlite", ("connectionString", "Data Source=" + _folder.Combine("state.db"))), default);
        return store;
    }

    public void Dispose() => _folder.Dispose();
}
