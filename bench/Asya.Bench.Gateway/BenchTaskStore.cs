using Npgsql;

namespace Asya.Bench.Gateway;

/// <summary>
/// A fresh task store for one gateway run: the gateway's own SQLite file (no arguments), or a new schema on the
/// PostgreSQL of ASYA_TEST_POSTGRES named by a <c>state.postgresql</c> component; disposing drops the schema.
/// </summary>
internal sealed class BenchTaskStore : IAsyncDisposable
{
    private readonly NpgsqlConnectionStringBuilder? _admin;
    private readonly string _schema;
    private readonly string _components;

    private BenchTaskStore(NpgsqlConnectionStringBuilder? admin, string schema, string components, IReadOnlyList<string> gatewayArgs) =>
        (_admin, _schema, _components, GatewayArgs) = (admin, schema, components, gatewayArgs);

    /// <summary>What the gateway is started with to use this store.</summary>
    public IReadOnlyList<string> GatewayArgs { get; }

    public static bool PostgresConfigured => Environment.GetEnvironmentVariable("ASYA_TEST_POSTGRES") is { Length: > 0 };

    public static async Task<BenchTaskStore> CreateAsync(string store)
    {
        var schema = "asya_gwbench_" + Guid.NewGuid().ToString("N")[..10];
        var components = Path.Combine(Path.GetTempPath(), schema);
        if (store != "postgres")
        {
            return new BenchTaskStore(null, schema, components, []);
        }

        var admin = Postgres();
        await ExecuteAsync(admin, $"CREATE SCHEMA {schema}");
        Directory.CreateDirectory(components);
        await File.WriteAllTextAsync(Path.Combine(components, "tasks.yaml"), $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: tasks
            spec:
              type: state.postgresql
              version: v2
              metadata:
              - name: connectionString
                value: "host={admin.Host} port={admin.Port} user={admin.Username} password={admin.Password} dbname={admin.Database} search_path={schema}"
            """);
        return new BenchTaskStore(admin, schema, components, ["--resources-path", components, "--task-store", "tasks"]);
    }

    public async ValueTask DisposeAsync()
    {
        if (_admin is not null)
        {
            await ExecuteAsync(_admin, $"DROP SCHEMA {_schema} CASCADE");
            Directory.Delete(_components, recursive: true);
        }
    }

    /// <summary>ASYA_TEST_POSTGRES (<c>postgres://user:password@host:port/db</c>) as connection settings.</summary>
    private static NpgsqlConnectionStringBuilder Postgres()
    {
        var url = new Uri(Environment.GetEnvironmentVariable("ASYA_TEST_POSTGRES")!);
        var user = url.UserInfo.Split(':', 2);
        return new NpgsqlConnectionStringBuilder
        {
            Host = url.Host,
            Port = url.Port > 0 ? url.Port : 5432,
            Username = Uri.UnescapeDataString(user[0]),
            Password = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : null,
            Database = url.AbsolutePath.Trim('/'),
        };
    }

    private static async Task ExecuteAsync(NpgsqlConnectionStringBuilder connection, string sql)
    {
        await using var open = new NpgsqlConnection(connection.ConnectionString);
        await open.OpenAsync();
        await using var command = new NpgsqlCommand(sql, open);
        await command.ExecuteNonQueryAsync();
    }
}
