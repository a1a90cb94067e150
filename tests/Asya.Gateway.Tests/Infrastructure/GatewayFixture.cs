using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Components;
using Asya.Components.Abstractions;
using Asya.Gateway.Configuration;
using Asya.Gateway.Hosting;
using Asya.Gateway.Service;
using Asya.Gateway.Tasks;
using Asya.Gateway.Tasks.Sqlite;
using Asya.Mesh.Client;
using Asya.Runtime.Protocol;
using Asya.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Asya.Gateway.Tests.Infrastructure;

/// <summary>
/// A real gateway on loopback ports (api and mesh) over the SQLite task store and the embedded SQLite transport of a
/// temporary data dir, on a fake clock. <see cref="RestartAsync"/> stops it and starts a new one on the same files.
/// </summary>
public sealed class GatewayFixture : IAsyncDisposable
{
    /// <summary>The flows every test gets unless it says otherwise: a 3-actor pipeline with a timeout, and a one-actor flow.</summary>
    public const string Flows = """
        flows:
        - name: summarize
          entrypoint: tokenize
          route_next: [judge, store]
          timeout: 120
        - name: echo
          entrypoint: echo
        """;

    private readonly TempDirectory _directory;
    private readonly bool _ownsDirectory;
    private readonly ServiceProvider _componentServices;
    private ITransport? _queues;
    private Func<ITaskStore, ITaskStore> _wrapStore = store => store;

    private GatewayFixture(TempDirectory directory, bool ownsDirectory, GatewayOptions options, TimerWatchingTimeProvider time)
    {
        _directory = directory;
        _ownsDirectory = ownsDirectory;
        Options = options;
        Time = time;
        _componentServices = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(TimeProvider.System).AddBuiltInComponents().BuildServiceProvider();
    }

    internal GatewayOptions Options { get; }

    public TimerWatchingTimeProvider Time { get; }

    internal ITaskStore Store { get; private set; } = null!;

    internal InMemoryTaskEventHub Hub { get; private set; } = null!;

    internal IMeshClient Mesh { get; private set; } = null!;

    internal GatewayHost Host { get; private set; } = null!;

    internal TaskService Tasks => Host.Services.GetRequiredService<TaskService>();

    public HttpClient Api { get; private set; } = null!;

    public HttpClient MeshPort { get; private set; } = null!;

    public string DataDirectory => _directory.Path;

    /// <summary>
    /// Starts a gateway; <paramref name="configure"/> adjusts the options (flows, API key, limits), <paramref name="wrapStore"/>
    /// wraps its SQLite task store (e.g. in an <see cref="OutageTaskStore"/>).
    /// </summary>
    internal static async Task<GatewayFixture> StartAsync(
        Func<GatewayOptions, GatewayOptions>? configure = null, string? flowsYaml = Flows, int flyCapacity = TaskEventFanout.DefaultFlyCapacity,
        Func<ITaskStore, ITaskStore>? wrapStore = null)
    {
        var directory = new TempDirectory();
        string? flowsPath = null;
        if (flowsYaml is not null)
        {
            flowsPath = directory.Combine("flows.yaml");
            await File.WriteAllTextAsync(flowsPath, flowsYaml);
        }

        var options = new GatewayOptions
        {
            FlowsPath = flowsPath,
            ApiAddress = "127.0.0.1:0",
            MeshAddress = "127.0.0.1:0",
            DataDirectory = directory.Combine("data"),
            LogLevel = "warn",
            LogFormat = "text",
        };
        options = configure?.Invoke(options) ?? options;
        var fixture = new GatewayFixture(directory, ownsDirectory: true, options, new TimerWatchingTimeProvider(DateTimeOffset.UtcNow));
        fixture._wrapStore = wrapStore ?? fixture._wrapStore;
        await fixture.OpenAsync(flyCapacity);
        return fixture;
    }

    /// <summary>Stops this gateway and starts another on the same data dir (tasks must survive).</summary>
    public async Task RestartAsync()
    {
        await CloseAsync();
        await OpenAsync(TaskEventFanout.DefaultFlyCapacity);
    }

    /// <summary>POSTs <paramref name="json"/> to the api port's <c>/api/v1/mesh</c>.</summary>
    public Task<HttpResponseMessage> SubmitAsync(string json) =>
        Api.PostAsync("/api/v1/mesh", new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Submits and returns the new task's id (asserting 201).</summary>
    public async Task<string> SubmitOkAsync(string json)
    {
        using var response = await SubmitAsync(json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    /// <summary>Posts a sidecar report to the mesh port.</summary>
    public Task<HttpResponseMessage> ReportAsync(string id, string json) =>
        MeshPort.PostAsync($"/api/v1/mesh/{id}/events", new StringContent(json, Encoding.UTF8, "application/json"));

    public async Task<JsonNode> GetTaskAsync(string id) =>
        JsonNode.Parse(await Api.GetStringAsync($"/api/v1/mesh/{id}"))!;

    /// <summary>The envelopes waiting in <paramref name="actor"/>'s queue (received and acked, so each is read once).</summary>
    public async Task<IReadOnlyList<Envelope>> TakeQueuedAsync(string actor)
    {
        _queues ??= await OpenQueuesAsync();
        var messages = await _queues.ReceiveAsync(ActorNames.Queue(Options.Namespace, actor), new ReceiveOptions(100, TimeSpan.Zero), default);
        var envelopes = new List<Envelope>();
        foreach (var message in messages)
        {
            envelopes.Add(JsonSerializer.Deserialize(message.Body.Span, ProtocolJson.Context.Envelope)!);
            await _queues.AckAsync(message, default);
        }

        return envelopes;
    }

    public async Task<long> QueueDepthAsync(string actor) =>
        await Mesh.GetDepthAsync(ActorNames.Queue(Options.Namespace, actor), default) ?? -1;

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        if (_queues is not null)
        {
            await _queues.DisposeAsync();
        }

        await _componentServices.DisposeAsync();
        if (_ownsDirectory)
        {
            _directory.Dispose();
        }
    }

    private async Task OpenAsync(int flyCapacity)
    {
        Store = _wrapStore(await SqliteTaskStore.OpenInDirectoryAsync(Options.DataDirectory, Time, logger: null, default));
        Hub = new InMemoryTaskEventHub(flyCapacity, new RecentFlyEvents(Time));
        // As GatewayProgram connects it.
        Mesh = await MeshConnector.ConnectAsync(
            new MeshClientOptions
            {
                Namespace = Options.Namespace,
                ResourcesPaths = Options.ResourcesPaths,
                DataDirectory = Options.DataDirectory,
                ActorTransports = Options.ActorTransports,
            },
            transportName: null,
            default);
        Host = GatewayHost.Build(Options, Store, Hub, Mesh, Time);
        await Host.App.StartAsync();
        Api = new HttpClient { BaseAddress = new Uri(Host.ApiUrl), Timeout = TimeSpan.FromSeconds(60) };
        MeshPort = new HttpClient { BaseAddress = new Uri(Host.MeshUrl), Timeout = TimeSpan.FromSeconds(60) };
    }

    private async Task CloseAsync()
    {
        Api?.Dispose();
        MeshPort?.Dispose();
        if (Host is not null)
        {
            await Host.App.StopAsync();
            await Host.DisposeAsync();
            Host = null!;
        }

        if (Hub is not null)
        {
            await Hub.DisposeAsync();
        }

        if (Store is not null)
        {
            await Store.DisposeAsync();
        }

        if (Mesh is not null)
        {
            await Mesh.DisposeAsync();
        }
    }

    private async Task<ITransport> OpenQueuesAsync()
    {
        var spec = EmbeddedComponents.Transport(Options.DataDirectory);
        var registry = _componentServices.GetRequiredService<ComponentRegistry>();
        var transport = (ITransport)registry.Resolve(spec.Type, spec.Version, null).Create(_componentServices);
        await transport.InitAsync(spec, default);
        return transport;
    }
}
