using System.Text.Json.Nodes;
using Asya.Hosting.Health;
using Asya.Operator.Reconcile;
using Asya.Testing;
using Asya.Testing.Kubernetes;
using k8s;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Asya.Operator.Tests.Scenarios;

/// <summary>
/// A fake API server with the AsyncActor and ScaledObject CRDs, a SQLite transport component (a labelled ConfigMap, or
/// a Dapr Component when <c>dapr</c>), and the operator running against it.
/// </summary>
internal sealed class OperatorHarness : IAsyncDisposable
{
    public const string Namespace = "team-a";
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _temp = new();
    private ServiceProvider? _services;
    private OperatorService? _operator;

    private OperatorHarness(FakeKubeApiServer server)
    {
        Server = server;
        Client = new Kubernetes(new KubernetesClientConfiguration { Host = server.BaseUri.ToString() });
    }

    public FakeKubeApiServer Server { get; }

    public FakeKubeStore Store => Server.Store;

    public Kubernetes Client { get; }

    public string DatabasePath => _temp.Combine("mesh.db");

    public string TempPath(string name) => _temp.Combine(name);

    public static ApiResource AsyncActors { get; } = new("asya.sh", "v1alpha1", "asyncactors", "AsyncActor", HasStatus: true);

    public static ApiResource ScaledObjects { get; } = new("keda.sh", "v1alpha1", "scaledobjects", "ScaledObject", HasStatus: true);

    public static ApiResource DaprComponents { get; } = new("dapr.io", "v1alpha1", "components", "Component");

    public static async Task<OperatorHarness> StartAsync(
        bool dapr = false, bool withTransport = true, int workers = 4, bool manageQueues = true, bool startOperator = true, string? gatewayUrl = null)
    {
        var server = await FakeKubeApiServer.StartAsync();
        var harness = new OperatorHarness(server);
        server.Store.Register(AsyncActors);
        server.Store.Register(ScaledObjects);
        if (dapr)
        {
            server.Store.Register(DaprComponents);
        }

        if (withTransport)
        {
            harness.CreateTransport(dapr);
        }

        if (startOperator)
        {
            await harness.StartOperatorAsync(workers, manageQueues, gatewayUrl: gatewayUrl);
        }

        return harness;
    }

    public void CreateTransport(bool dapr = false)
    {
        var component = new JsonObject
        {
            ["apiVersion"] = "dapr.io/v1alpha1",
            ["kind"] = "Component",
            ["metadata"] = new JsonObject { ["name"] = "mesh", ["namespace"] = Namespace },
            ["spec"] = new JsonObject
            {
                ["type"] = "pubsub.sqlite",
                ["version"] = "v1",
                ["metadata"] = new JsonArray(new JsonObject { ["name"] = "path", ["value"] = DatabasePath }),
            },
        };
        if (dapr)
        {
            Store.Create(component);
            return;
        }

        Store.Create(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject
            {
                ["name"] = "mesh-components",
                ["namespace"] = Namespace,
                ["labels"] = new JsonObject { ["asya.sh/components"] = "true" },
            },
            ["data"] = new JsonObject { ["mesh.yaml"] = component.ToJsonString() },
        });
    }

    /// <summary>A <c>state.sqlite</c> Component <paramref name="name"/> in its own labelled ConfigMap.</summary>
    public void CreateStateStore(string name) => Store.Create(new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject
        {
            ["name"] = name + "-components",
            ["namespace"] = Namespace,
            ["labels"] = new JsonObject { ["asya.sh/components"] = "true" },
        },
        ["data"] = new JsonObject
        {
            [name + ".yaml"] = new JsonObject
            {
                ["apiVersion"] = "dapr.io/v1alpha1",
                ["kind"] = "Component",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
                ["spec"] = new JsonObject
                {
                    ["type"] = "state.sqlite",
                    ["version"] = "v1",
                    ["metadata"] = new JsonArray(new JsonObject { ["name"] = "connectionString", ["value"] = _temp.Combine(name + ".db") }),
                },
            }.ToJsonString(),
        },
    });

    /// <summary>The heartbeats of the running operator's loops.</summary>
    public LoopHeartbeats Heartbeats => _services!.GetRequiredService<LoopHeartbeats>();

    public async Task StartOperatorAsync(int workers = 4, bool manageQueues = true, bool startOperator = true, TimeProvider? time = null, string? gatewayUrl = null)
    {
        var settings = new OperatorSettings
        {
            Workers = workers,
            ManageQueues = manageQueues,
            GatewayUrl = gatewayUrl,
            BaseRetryDelay = TimeSpan.FromMilliseconds(50),
            MaxRetryDelay = TimeSpan.FromMilliseconds(500),
        };
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddAsyaOperator(settings, Client);
        _services = services.BuildServiceProvider();
        _operator = _services.GetServices<IHostedService>().OfType<OperatorService>().Single();
        await _operator.StartAsync(CancellationToken.None);
    }

    public async Task StopOperatorAsync()
    {
        if (_operator is not null)
        {
            await _operator.StopAsync(CancellationToken.None);
            _operator = null;
        }

        if (_services is not null)
        {
            await _services.DisposeAsync();
            _services = null;
        }
    }

    /// <summary>A reconciler of its own (the operator stopped), to run one reconcile and count its writes.</summary>
    public ServiceProvider NewReconcilerServices()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAsyaOperator(new OperatorSettings(), Client);
        return services.BuildServiceProvider();
    }

    public static JsonObject Actor(string name, JsonObject? spec = null) => new()
    {
        ["apiVersion"] = "asya.sh/v1alpha1",
        ["kind"] = "AsyncActor",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
        ["spec"] = spec ?? new JsonObject { ["image"] = "python:3.11-slim", ["handler"] = "handler.process", ["transport"] = "mesh" },
    };

    public JsonObject? Get(string kind, string name) => Store.Get(kind, Namespace, name);

    public string? Phase(string actor) => Get("AsyncActor", actor)?["status"]?["phase"]?.GetValue<string>();

    public JsonObject? Condition(string actor, string type) =>
        (Get("AsyncActor", actor)?["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);

    public Task WaitAsync(Func<OperatorHarness, bool> condition, string what) => Store.WaitForAsync(_ => condition(this), Deadline, what);

    public IReadOnlyList<string> Queues()
    {
        if (!File.Exists(DatabasePath))
        {
            return [];
        }

        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM asya_queues ORDER BY name";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    public async ValueTask DisposeAsync()
    {
        await StopOperatorAsync();
        Client.Dispose();
        await Server.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }
}
