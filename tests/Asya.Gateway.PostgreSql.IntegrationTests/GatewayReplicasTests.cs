using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Asya.Gateway.Configuration;
using Asya.Gateway.Hosting;
using Asya.Hosting.Sse;
using Asya.Mesh.Client;
using Asya.Testing;
using Asya.Testing.Brokers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Asya.Gateway.PostgreSql.IntegrationTests;

/// <summary>
/// Two gateway processes' worth of hosts on one PostgreSQL, chosen the way an operator does it (<c>--task-store</c>
/// naming a <c>state.postgresql</c> manifest of <c>--resources-path</c>): a client of replica A follows a task whose
/// sidecar reports reach replica B.
/// </summary>
public sealed class GatewayReplicasTests
{
    private const string Schema = "asya_gw_replicas";

    [Fact]
    public async Task TwoReplicas_SseOnASeesStatusAndFlyReportedToB()
    {
        var connection = await TestDatabase.SchemaAsync(Schema);
        using var folder = new TempDirectory();
        var components = Directory.CreateDirectory(folder.Combine("components")).FullName;
        await PostgreSqlComponentManifest.WriteAsync(
            components,
            "tasks",
            $"host={connection.Host} port={connection.Port} user={connection.Username} password={connection.Password} dbname={connection.Database} search_path={Schema}");
        var options = new GatewayOptions
        {
            ApiAddress = "127.0.0.1:0",
            MeshAddress = "127.0.0.1:0",
            DataDirectory = folder.Combine("data"),
            ResourcesPaths = [components],
            TaskStore = "tasks",
            LogLevel = "warn",
            LogFormat = "text",
        };
        try
        {
            await using var a = await Replica.StartAsync(options);
            await using var b = await Replica.StartAsync(options);

            using var submitted = await a.Api.PostAsync("/api/v1/mesh", Json("""{"actor":"echo","payload":{"text":"hi"}}"""));
            Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
            var id = JsonNode.Parse(await submitted.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
            using var response = await a.Api.GetAsync($"/api/v1/mesh/{id}/events", HttpCompletionOption.ResponseHeadersRead);
            await using var stream = await response.Content.ReadAsStreamAsync();
            await using var events = SseReader.ReadAsync(stream, default).GetAsyncEnumerator();
            Assert.Equal("pending", (await NextAsync(events, "status"))["status"]!.GetValue<string>());

            Assert.Equal(HttpStatusCode.NoContent, (await b.Mesh.PostAsync($"/api/v1/mesh/{id}/events", Json("""{"type":"status","status":"received","actor":"echo","route":{"prev":[],"curr":"echo","next":[]}}"""))).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await b.Mesh.PostAsync($"/api/v1/mesh/{id}/events", Json("""{"type":"fly","actor":"echo","data":{"text":"tok"}}"""))).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await b.Mesh.PostAsync($"/api/v1/mesh/{id}/events", Json("""{"type":"status","status":"succeeded","actor":"x-sink","result":{"text":"hi!"}}"""))).StatusCode);

            Assert.Equal("running", (await NextAsync(events, "status"))["status"]!.GetValue<string>());
            Assert.Equal("tok", (await NextAsync(events, "fly"))["text"]!.GetValue<string>());
            var done = await NextAsync(events, "status");
            Assert.Equal("succeeded", done["status"]!.GetValue<string>());
            Assert.Equal("hi!", done["result"]!["text"]!.GetValue<string>());
            Assert.False(await events.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            await TestDatabase.DropSchemaAsync(Schema);
        }
    }

    private static async Task<JsonNode> NextAsync(IAsyncEnumerator<ServerSentEvent> events, string name)
    {
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)), $"stream closed, expected {name}");
        Assert.Equal(name, events.Current.Event);
        return JsonNode.Parse(events.Current.Data)!;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private sealed class Replica : IAsyncDisposable
    {
        private readonly TaskBackend _tasks;
        private readonly IMeshClient _meshClient;
        private readonly GatewayHost _host;

        private Replica(TaskBackend tasks, IMeshClient meshClient, GatewayHost host)
        {
            (_tasks, _meshClient, _host) = (tasks, meshClient, host);
            Api = new HttpClient { BaseAddress = new Uri(host.ApiUrl) };
            Mesh = new HttpClient { BaseAddress = new Uri(host.MeshUrl) };
        }

        public HttpClient Api { get; }

        public HttpClient Mesh { get; }

        public static async Task<Replica> StartAsync(GatewayOptions options)
        {
            var tasks = await TaskBackend.OpenAsync(options, TimeProvider.System, NullLoggerFactory.Instance, default);
            var mesh = await MeshConnector.ConnectAsync(
                new MeshClientOptions { DataDirectory = options.DataDirectory, ResourcesPaths = options.ResourcesPaths }, transportName: null, default);
            var host = GatewayHost.Build(options, tasks.Store, tasks.Hub, mesh, TimeProvider.System);
            await host.App.StartAsync();
            return new Replica(tasks, mesh, host);
        }

        public async ValueTask DisposeAsync()
        {
            Api.Dispose();
            Mesh.Dispose();
            await _host.App.StopAsync();
            await _host.DisposeAsync();
            await _meshClient.DisposeAsync();
            await _tasks.DisposeAsync();
        }
    }
}
