using Asya.Components.Abstractions;

namespace Asya.Components.Sqlite;

/// <summary>Creates <c>state.sqlite</c> stores.</summary>
internal sealed class SqliteStateStoreFactory : IComponentFactory
{
    public IReadOnlyList<string> Types { get; } = ["state.sqlite"];

    public string Version => "v1";

    public IReadOnlyCollection<string> MetadataKeys { get; } =
    [
        SqliteStateStore.ConnectionStringKey,
        SqliteStateStore.UrlKey,
        SqliteStateStore.TableNameKey,
        SqliteStateStore.MetadataTableNameKey,
        SqliteStateStore.TimeoutKey,
        SqliteStateStore.TimeoutInSecondsKey,
        SqliteStateStore.BusyTimeoutKey,
        SqliteStateStore.DisableWalKey,
        SqliteStateStore.CleanupIntervalKey,
        SqliteStateStore.CleanupIntervalInSecondsKey,
    ];

    public IComponent Create(IServiceProvider services) =>
        new SqliteStateStore(services.TimeProvider(), services.Logger<SqliteStateStore>());
}
