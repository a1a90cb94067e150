using Asya.Components;
using Asya.Components.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace Asya.Faults.IntegrationTests.Harness;

/// <summary>
/// The test's side of a mesh: the transport built from the same manifest the sidecars load (to inject envelopes and
/// read queue depths) and the crew's result store (read by id, as <c>asya result</c> does).
/// </summary>
internal sealed class MeshClient : IAsyncDisposable
{
    /// <summary>The crew's key prefix for dead-lettered envelopes (Asya.Sidecar's CrewProcessor.SumpKeyPrefix).</summary>
    public const string SumpPrefix = "sump/";

    private readonly ServiceProvider _services;
    private readonly LoadedComponents? _loaded;

    private MeshClient(ServiceProvider services, LoadedComponents? loaded, ITransport transport, IStateStore results)
    {
        _services = services;
        _loaded = loaded;
        Transport = transport;
        Results = results;
    }

    public ITransport Transport { get; }

    public IStateStore Results { get; }

    public static async Task<MeshClient> CreateAsync(string? resourcesPath, string database, string meshNamespace, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton(new ComponentLoaderOptions { AppId = "fault-suite", Namespace = meshNamespace })
            .AddBuiltInComponents()
            .BuildServiceProvider();
        var registry = services.GetRequiredService<ComponentRegistry>();
        LoadedComponents? loaded = null;
        ITransport transport;
        if (resourcesPath is null)
        {
            transport = await LoadedComponents.CreateAsync<ITransport>(
                registry, services, ComponentSpec.Create("fault-queues", "pubsub.sqlite", ("connectionString", database)), cancellationToken);
        }
        else
        {
            loaded = await services.GetRequiredService<ComponentLoader>().LoadAsync([resourcesPath], cancellationToken);
            transport = await loaded.CreateAsync<ITransport>(loaded.OfCategory("pubsub.").Single(), cancellationToken);
        }

        var results = await LoadedComponents.CreateAsync<IStateStore>(
            registry, services,
            ComponentSpec.Create("fault-results", "state.sqlite", ("connectionString", database), ("tableName", "asya_results")),
            cancellationToken);
        return new MeshClient(services, loaded, transport, results);
    }

    public async Task EnsureQueueAsync(string queue, CancellationToken cancellationToken)
    {
        if (Transport is IQueueAdmin admin)
        {
            await admin.EnsureQueueAsync(new QueueSpec(queue), cancellationToken);
        }
    }

    public ValueTask SendAsync(string queue, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        Transport.SendAsync(queue, new OutgoingMessage(body), cancellationToken);

    public async Task<QueueDepth> DepthAsync(string queue, CancellationToken cancellationToken) =>
        await ((IQueueDepthSource)Transport).GetQueueDepthAsync(queue, cancellationToken);

    /// <summary>x-sink's entry of an id (succeeded, or failed and also forwarded to x-sump).</summary>
    public async Task<byte[]?> SinkAsync(string id, CancellationToken cancellationToken) =>
        await Results.GetAsync(id, cancellationToken) is { } entry ? entry.Value.ToArray() : null;

    /// <summary>x-sump's entry of an id.</summary>
    public async Task<byte[]?> SumpAsync(string id, CancellationToken cancellationToken) =>
        await Results.GetAsync(SumpPrefix + id, cancellationToken) is { } entry ? entry.Value.ToArray() : null;

    public async ValueTask DisposeAsync()
    {
        await Transport.DisposeAsync();
        await Results.DisposeAsync();
        if (_loaded is not null)
        {
            await _loaded.DisposeAsync();
        }

        await _services.DisposeAsync();
    }
}
