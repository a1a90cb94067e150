using Asya.Components.Abstractions;

namespace Asya.Components.Sqlite;

/// <summary>Creates <c>pubsub.sqlite</c> transports.</summary>
internal sealed class SqliteTransportFactory : IComponentFactory
{
    public IReadOnlyList<string> Types { get; } = ["pubsub.sqlite"];

    public string Version => "v1";

    public IReadOnlyCollection<string> MetadataKeys { get; } =
    [
        SqliteTransport.ConnectionStringKey,
        SqliteTransport.PathKey,
        SqliteTransport.VisibilityTimeoutKey,
        SqliteTransport.PollIntervalKey,
        SqliteTransport.BusyTimeoutKey,
    ];

    public IComponent Create(IServiceProvider services) =>
        new SqliteTransport(services.TimeProvider(), services.Logger<SqliteTransport>());
}
