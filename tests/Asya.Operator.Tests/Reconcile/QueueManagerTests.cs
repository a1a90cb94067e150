using System.Text.Json.Nodes;
using Asya.Components;
using Asya.Components.Abstractions;
using Asya.Operator.Building;
using Asya.Operator.Reconcile;
using Microsoft.Extensions.Logging.Abstractions;

namespace Asya.Operator.Tests.Reconcile;

public sealed class QueueManagerTests
{
    private readonly AdminFactory _factory = new();

    [Fact]
    public async Task EnsureAsync_ManifestScopedToTheActor_LoadedInMemoryWithoutItsScopes()
    {
        await using var queues = Manager();

        Assert.True(await queues.EnsureAsync("asya-ns-judge", Rendered("bus", "a"), CancellationToken.None));

        var transport = Assert.Single(_factory.Created);
        Assert.Equal(["asya-ns-judge"], transport.Ensured);
        Assert.Equal("mesh.yaml", transport.Spec!.SourceFile);
    }

    [Fact]
    public async Task EnsureAsync_SameManifestsAgain_ReusesTheOpenTransport()
    {
        await using var queues = Manager();

        await queues.EnsureAsync("q1", Rendered("bus", "a"), CancellationToken.None);
        await queues.DeleteAsync("q1", Rendered("bus", "a"), CancellationToken.None);

        var transport = Assert.Single(_factory.Created);
        Assert.Equal(["q1"], transport.Ensured);
        Assert.Equal(["q1"], transport.Deleted);
    }

    [Fact]
    public async Task EnsureAsync_MoreManifestSetsThanCapacity_LeastRecentlyUsedIsDisposed()
    {
        await using var queues = Manager(capacity: 2);

        await queues.EnsureAsync("q", Rendered("bus", "a"), CancellationToken.None);
        await queues.EnsureAsync("q", Rendered("bus", "b"), CancellationToken.None);
        await queues.EnsureAsync("q", Rendered("bus", "a"), CancellationToken.None); // a is now the most recent
        await queues.EnsureAsync("q", Rendered("bus", "c"), CancellationToken.None);

        Assert.Equal(["a", "b", "c"], _factory.Created.Select(t => t.Spec!.Metadata["host"]));
        Assert.Equal([false, true, false], _factory.Created.Select(t => t.Disposed));

        await queues.DisposeAsync();
        Assert.All(_factory.Created, t => Assert.True(t.Disposed));
    }

    [Fact]
    public async Task EnsureAsync_EvictedWhileInUse_DisposedOnlyAfterTheCallEnds()
    {
        await using var queues = Manager(capacity: 1);
        _factory.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var slow = queues.EnsureAsync("q", Rendered("bus", "a"), CancellationToken.None);
        await _factory.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        _factory.Hold = null;
        await queues.EnsureAsync("q", Rendered("bus", "b"), CancellationToken.None);

        var first = _factory.Created[0];
        Assert.False(first.Disposed);
        first.Release.SetResult();
        Assert.True(await slow.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(first.Disposed);
        Assert.False(_factory.Created[1].Disposed);
    }

    private QueueManager Manager(int capacity = QueueManager.DefaultCapacity) =>
        new(new ComponentLoader(
                new ComponentRegistry([_factory]),
                new EmptyServices(),
                NullLogger<ComponentLoader>.Instance,
                new ComponentLoaderOptions { AppId = "asya-operator" }),
            capacity);

    private static RenderedComponents Rendered(string name, string host)
    {
        var document = new JsonObject
        {
            ["apiVersion"] = "dapr.io/v1alpha1",
            ["kind"] = "Component",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["type"] = "pubsub.admin",
                ["version"] = "v1",
                ["metadata"] = new JsonArray(new JsonObject { ["name"] = "host", ["value"] = host }),
            },
            ["scopes"] = new JsonArray("judge"),
        };
        return new RenderedComponents(name, new Dictionary<string, string> { ["mesh.yaml"] = document.ToJsonString() }, []);
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }

    private sealed class AdminFactory : IComponentFactory
    {
        public List<AdminTransport> Created { get; } = [];

        /// <summary>When set, the next transport's queue calls wait for their release.</summary>
        public TaskCompletionSource? Hold { get; set; }

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<string> Types { get; } = ["pubsub.admin"];

        public string Version => "v1";

        public IReadOnlyCollection<string> MetadataKeys { get; } = ["host"];

        public IComponent Create(IServiceProvider services)
        {
            var transport = new AdminTransport(Hold is null ? null : Entered);
            if (Hold is null)
            {
                transport.Release.SetResult();
            }

            Created.Add(transport);
            return transport;
        }
    }

    private sealed class AdminTransport(TaskCompletionSource? entered) : ITransport, IQueueAdmin
    {
        public ComponentSpec? Spec { get; private set; }

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<string> Ensured { get; } = [];

        public List<string> Deleted { get; } = [];

        public bool Disposed { get; private set; }

        public ValueTask InitAsync(ComponentSpec spec, CancellationToken cancellationToken)
        {
            Spec = spec;
            return ValueTask.CompletedTask;
        }

        public async ValueTask EnsureQueueAsync(QueueSpec spec, CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(Disposed, this);
            entered?.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            ObjectDisposedException.ThrowIf(Disposed, this);
            Ensured.Add(spec.Name);
        }

        public ValueTask DeleteQueueAsync(string queue, CancellationToken cancellationToken)
        {
            Deleted.Add(queue);
            return ValueTask.CompletedTask;
        }

        public ValueTask<IReadOnlyList<TransportMessage>> ReceiveAsync(string queue, ReceiveOptions options, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public ValueTask SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask AckAsync(TransportMessage message, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask NackAsync(TransportMessage message, TimeSpan delay, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
