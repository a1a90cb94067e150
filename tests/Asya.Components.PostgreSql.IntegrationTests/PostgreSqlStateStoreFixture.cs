using Asya.Components.Abstractions;
using Asya.Components.Compliance;
using Microsoft.Extensions.Time.Testing;

namespace Asya.Components.PostgreSql.IntegrationTests;

/// <summary>State stores on one table of the test PostgreSQL.</summary>
public sealed class PostgreSqlStateStoreFixture : IStateStoreFixture
{
    // Expiry follows the store's clock, not the server's, so TTL cases never race the machine's speed.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    public TimeProvider Clock => _clock;

    public Task PassTimeAsync(TimeSpan time)
    {
        _clock.Advance(time);
        return Task.CompletedTask;
    }

    public string NewKey() => "asya-test-state-" + Guid.NewGuid().ToString("N")[..12];

    public async Task<IStateStore> CreateStateStoreAsync()
    {
        var store = (IStateStore)new PostgreSqlStateStoreFactory().Create(new TestServices(_clock));
        await store.InitAsync(
            ComponentSpec.Create(
                "results", "state.postgresql",
                ("connectionString", PostgreSqlTestEnvironment.RequireConnectionString()),
                ("tableName", "asya_compliance_state"),
                ("cleanupInterval", "0")),
            default);
        return store;
    }
}
