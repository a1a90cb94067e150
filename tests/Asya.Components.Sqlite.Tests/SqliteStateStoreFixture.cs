using Asya.Components.Abstractions;
using Asya.Components.Compliance;
using Asya.Testing;

namespace Asya.Components.Sqlite.Tests;

/// <summary>Stores on one database file in a temp folder.</summary>
public sealed class SqliteStateStoreFixture : IStateStoreFixture, IDisposable
{
    private readonly TempDirectory _folder = new();

    public async Task<IStateStore> CreateStateStoreAsync()
    {
        var store = (IStateStore)new SqliteStateStoreFactory().Create(new TestServices());
        await store.InitAsync(
            ComponentSpec.Create("results", "state.sqlite", ("connectionString", "Data Source=" + _folder.Combine("state.db"))), default);
        return store;
    }

    public void Dispose() => _folder.Dispose();
}
