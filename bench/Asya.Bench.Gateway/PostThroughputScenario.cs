using System.Diagnostics;
using System.Text.Json.Nodes;
using Npgsql;

namespace Asya.Bench.Gateway;

/// <summary>
/// <c>POST /api/v1/mesh</c> throughput over HTTP: --posts submits by --concurrency callers to a gateway with no
/// sidecars (envelopes wait in the queue), on a fresh task store per run: a new data folder (SQLite), or a new schema
/// on the PostgreSQL of ASYA_TEST_POSTGRES named by a <c>state.postgresql</c> component (dropped afterwards).
/// </summary>
internal static class PostThroughputScenario
{
    public static async Task<double> RunAsync(string store, GatewayBenchOptions options)
    {
        var schema = "asya_gwbench_" + Guid.NewGuid().ToString("N")[..10];
        var components = Path.Combine(Path.GetTempPath(), schema);
        string[] args = [];
        NpgsqlConnectionStringBuilder? admin = null;
        if (store == "postgres")
        {
            admin = Postgres();
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
            args = ["--resources-path", components, "--task-store", "tasks"];
        }

        try
        {
            await using var mesh = await BenchMesh.StartAsync(withActors: false, args);
            var body = new JsonObject { ["route"] = new JsonArray([.. BenchMesh.Pipeline]), ["payload"] = new JsonObject { ["text"] = "The invoice total is 42 euros." } };
            for (var i = 0; i < 50; i++)
            {
                await TaskEvents.SubmitAsync(mesh.Api, body);
            }

            var next = -1;
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) < options.Posts)
                {
                    await TaskEvents.SubmitAsync(mesh.Api, body);
                }
            })));
            return options.Posts / watch.Elapsed.TotalSeconds;
        }
        finally
        {
            if (admin is not null)
            {
                await ExecuteAsync(admin, $"DROP SCHEMA {schema} CASCADE");
                Directory.Delete(components, recursive: true);
            }
        }
    }

    public static bool PostgresConfigured => Environment.GetEnvironmentVariable("ASYA_TEST_POSTGRES") is { Length: > 0 };

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
