using Asya.Components.Abstractions;
using Asya.Components.Compliance;
using Asya.Testing;

namespace Asya.Components.Sqlite.Tests;

/// <summary>Transports on one database file in a temp folder; each transport has its own connections, like a process.</summary>
public sealed class SqliteTransportFixture : ITransportFixture, IDisposable
{
    private readonly TempDirectory _folder = new();

    public TimeSpan VisibilityTimeout { get; } = TimeSpan.FromMilliseconds(200);

    public string DatabasePath => _folder.Combine("data", "queues.db");

    public async Task<ITransport> CreateTransportAsync()
    {
        var transport = (ITransport)new SqliteTransportFactory().Create(new TestServices());
        await transport.InitAsync(
            ComponentSpec.Create("queues", "pubsub.sqlite", ("path", DatabasePath), ("visibilityTimeout", "200ms")), default);
        return transport;
    }

    public void Dispose() => _folder.Dispose();
}
