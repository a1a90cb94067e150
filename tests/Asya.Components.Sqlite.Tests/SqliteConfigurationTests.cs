using Asya.Components.Abstractions;
using Asya.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Asya.Components.Sqlite.Tests;

public sealed class SqliteConfigurationTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("visibilityTimeout", "-1s")]
    [InlineData("visibilityTimeout", "0s")]
    [InlineData("pollInterval", "often")]
    [InlineData("busyTimeout", "-5s")]
    public async Task TransportInitAsync_BadValue_ThrowsNamingComponentKeyAndValue(string key, string value)
    {
        await using var transport = (ITransport)new SqliteTransportFactory().Create(new TestServices());
        var spec = ComponentSpec.Create("queues", "pubsub.sqlite", ("path", _folder.Combine("q.db")), (key, value));

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(async () => await transport.InitAsync(spec, default));

        Assert.Contains("'queues'", error.Message, StringComparison.Ordinal);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TransportInitAsync_NoPath_ThrowsNamingKey()
    {
        await using var transport = (ITransport)new SqliteTransportFactory().Create(new TestServices());

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(
            async () => await transport.InitAsync(ComponentSpec.Create("queues", "pubsub.sqlite"), default));

        Assert.Contains("connectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TransportInitAsync_FolderCannotBeCreated_ThrowsNamingPath()
    {
        var file = _folder.Combine("plain-file");
        await File.WriteAllTextAsync(file, "not a folder");
        var path = Path.Combine(file, "sub", "q.db");
        await using var transport = (ITransport)new SqliteTransportFactory().Create(new TestServices());

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(
            async () => await transport.InitAsync(ComponentSpec.Create("queues", "pubsub.sqlite", ("path", path)), default));

        Assert.Contains("path", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TransportInitAsync_FileIsNotADatabase_ThrowsNamingKey()
    {
        var path = _folder.Combine("garbage.db");
        await File.WriteAllTextAsync(path, new string('x', 8192));
        await using var transport = (ITransport)new SqliteTransportFactory().Create(new TestServices());

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(
            async () => await transport.InitAsync(ComponentSpec.Create("queues", "pubsub.sqlite", ("path", path)), default));

        Assert.Contains("connectionString", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tableName", "state; DROP TABLE x")]
    [InlineData("timeout", "500ms")]
    [InlineData("busyTimeout", "nope")]
    [InlineData("cleanupInterval", "-1m")]
    public async Task StateStoreInitAsync_BadValue_ThrowsNamingKeyAndValue(string key, string value)
    {
        await using var store = (IStateStore)new SqliteStateStoreFactory().Create(new TestServices());
        var spec = ComponentSpec.Create("results", "state.sqlite", ("url", _folder.Combine("s.db")), (key, value));

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(async () => await store.InitAsync(spec, default));

        Assert.Contains("'results'", error.Message, StringComparison.Ordinal);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Factories_Metadata_ListEveryKeyRead()
    {
        var transport = new SqliteTransportFactory();
        var state = new SqliteStateStoreFactory();

        Assert.Equal(["pubsub.sqlite"], transport.Types);
        Assert.Equal(["state.sqlite"], state.Types);
        Assert.Equal("v1", transport.Version);
        Assert.Equal("v1", state.Version);
        Assert.Equal(["connectionString", "path", "visibilityTimeout", "pollInterval", "busyTimeout"], transport.MetadataKeys);
        Assert.Superset(
            new HashSet<string> { "connectionString", "url", "tableName", "timeout", "busyTimeout", "disableWAL", "cleanupInterval" },
            state.MetadataKeys.ToHashSet());
    }

    [Fact]
    public void AddSqliteComponents_CalledTwice_RegistersBothFactoriesOnce()
    {
        var services = new ServiceCollection();

        services.AddSqliteComponents().AddSqliteComponents();

        var factories = services.Where(s => s.ServiceType == typeof(IComponentFactory)).Select(s => s.ImplementationType).ToList();
        Assert.Equal([typeof(SqliteTransportFactory), typeof(SqliteStateStoreFactory)], factories);
    }
}
