using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Testing.Kubernetes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Asya.Operator.Tests.Fake;

public sealed class FakeKubeApiServerTests : IAsyncLifetime, IDisposable
{
    private static readonly ApiResource Widgets = new("example.com", "v1", "widgets", "Widget", HasStatus: true);
    private FakeKubeApiServer _server = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeKubeApiServer.StartAsync();
        _server.Store.Register(Widgets);
        _client = new Kubernetes(new KubernetesClientConfiguration { Host = _server.BaseUri.ToString() });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task TypedCoreCrud_ConfigMap_RoundTrips()
    {
        var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c", NamespaceProperty = "ns" }, Data = new Dictionary<string, string> { ["k"] = "v" } }, "ns");
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));

        created.Data["k"] = "v2";
        await _client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "c", "ns");
        var read = await _client.CoreV1.ReadNamespacedConfigMapAsync("c", "ns");
        Assert.Equal("v2", read.Data["k"]);

        var list = await _client.CoreV1.ListNamespacedConfigMapAsync("ns");
        Assert.Single(list.Items);
        await _client.CoreV1.DeleteNamespacedConfigMapAsync("c", "ns");
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ReadNamespacedConfigMapAsync("c", "ns"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
    }

    [Fact]
    public async Task Replace_StaleResourceVersion_Conflict()
    {
        var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, "ns");
        var stale = created.Metadata.ResourceVersion;
        created.Data = new Dictionary<string, string> { ["a"] = "1" };
        await _client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "c", "ns");

        created.Metadata.ResourceVersion = stale;
        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "c", "ns"));
        Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);

        var again = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, "ns"));
        Assert.Equal(HttpStatusCode.Conflict, again.Response.StatusCode);
    }

    [Fact]
    public async Task CustomObject_StatusSubresource_MainUpdateKeepsStatusAndBumpsGeneration()
    {
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget("w", size: 1), "example.com", "v1", "ns", "widgets");
        var current = Json(await _client.CustomObjects.GetNamespacedCustomObjectAsync("example.com", "v1", "ns", "widgets", "w"));
        current["status"] = new JsonObject { ["ok"] = true };
        await _client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(current, "example.com", "v1", "ns", "widgets", "w");

        current = Json(await _client.CustomObjects.GetNamespacedCustomObjectAsync("example.com", "v1", "ns", "widgets", "w"));
        Assert.True(current["status"]!["ok"]!.GetValue<bool>());
        Assert.Equal(1, current["metadata"]!["generation"]!.GetValue<long>());

        current["spec"]!["size"] = 2;
        current["status"] = new JsonObject { ["ok"] = false };
        var updated = Json(await _client.CustomObjects.ReplaceNamespacedCustomObjectAsync(current, "example.com", "v1", "ns", "widgets", "w"));
        Assert.True(updated["status"]!["ok"]!.GetValue<bool>());
        Assert.Equal(2, updated["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task Replace_Unchanged_NoNewResourceVersion()
    {
        var created = Json(await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget("w", 1), "example.com", "v1", "ns", "widgets"));
        var same = Json(await _client.CustomObjects.ReplaceNamespacedCustomObjectAsync(created, "example.com", "v1", "ns", "widgets", "w"));

        Assert.Equal(created["metadata"]!["resourceVersion"]!.GetValue<string>(), same["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal(2, _server.WriteCount);
    }

    [Fact]
    public async Task Patch_MergeAndJsonPatch_Applied()
    {
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget("w", 1), "example.com", "v1", "ns", "widgets");
        await _client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec": {"color": "red"}}""", V1Patch.PatchType.MergePatch), "example.com", "v1", "ns", "widgets", "w");
        await _client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""[{"op": "replace", "path": "/spec/size", "value": 7}]""", V1Patch.PatchType.JsonPatch), "example.com", "v1", "ns", "widgets", "w");

        var current = _server.Store.Get(Widgets, "ns", "w")!;
        Assert.Equal("red", current["spec"]!["color"]!.GetValue<string>());
        Assert.Equal(7, current["spec"]!["size"]!.GetValue<int>());
    }

    [Fact]
    public async Task Delete_WithFinalizer_OnlyMarkedUntilFinalizerRemoved()
    {
        var widget = Widget("w", 1);
        widget["metadata"]!["finalizers"] = new JsonArray("example.com/cleanup");
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(widget, "example.com", "v1", "ns", "widgets");
        await _client.CustomObjects.DeleteNamespacedCustomObjectAsync("example.com", "v1", "ns", "widgets", "w");

        var marked = _server.Store.Get(Widgets, "ns", "w")!;
        Assert.NotNull(marked["metadata"]!["deletionTimestamp"]);
        marked["metadata"]!["finalizers"] = new JsonArray();
        await _client.CustomObjects.ReplaceNamespacedCustomObjectAsync(marked, "example.com", "v1", "ns", "widgets", "w");

        Assert.Null(_server.Store.Get(Widgets, "ns", "w"));
    }

    [Fact]
    public async Task Delete_Owner_DependentsGarbageCollected()
    {
        var owner = Json(await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget("owner", 1), "example.com", "v1", "ns", "widgets"));
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = "child",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "example.com/v1", Kind = "Widget", Name = "owner", Uid = owner["metadata"]!["uid"]!.GetValue<string>() }],
            },
        }, "ns");
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "unrelated" } }, "ns");

        await _client.CustomObjects.DeleteNamespacedCustomObjectAsync("example.com", "v1", "ns", "widgets", "owner");

        Assert.Null(_server.Store.Get("ConfigMap", "ns", "child"));
        Assert.NotNull(_server.Store.Get("ConfigMap", "ns", "unrelated"));
    }

    [Fact]
    public async Task Watch_FromListVersion_StreamsLaterChangesInOrder()
    {
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget("before", 1), "example.com", "v1", "ns", "widgets");
        var list = Json(await _client.CustomObjects.ListNamespacedCustomObjectAsync("example.com", "v1", "ns", "widgets"));
        var version = list["metadata"]!["resourceVersion"]!.GetValue<string>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new List<(WatchEventType, string)>();
        var done = new TaskCompletionSource();
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, item) in _client.CustomObjects.WatchListNamespacedCustomObjectAsync(
                "example.com", "v1", "ns", "widgets", resourceVersion: version, cancellationToken: cts.Token))
            {
                seen.Add((type, Json(item)["metadata"]!["name"]!.GetValue<string>()));
                if (seen.Count == 3)
                {
                    done.TrySetResult();
                    return;
                }
            }
        });

        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget("w", 1), "example.com", "v1", "ns", "widgets");
        await _client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch("""{"spec": {"size": 2}}""", V1Patch.PatchType.MergePatch), "example.com", "v1", "ns", "widgets", "w");
        await _client.CustomObjects.DeleteNamespacedCustomObjectAsync("example.com", "v1", "ns", "widgets", "w");
        await done.Task.WaitAsync(cts.Token);
        await watching;

        Assert.Equal([(WatchEventType.Added, "w"), (WatchEventType.Modified, "w"), (WatchEventType.Deleted, "w")], seen);
    }

    [Fact]
    public async Task Discovery_RegisteredGroupVersion_ListsResourcesAndStatus()
    {
        var resources = await _client.CustomObjects.GetAPIResourcesAsync("example.com", "v1");
        Assert.Contains(resources.Resources, r => r.Name == "widgets" && r.Namespaced);
        Assert.Contains(resources.Resources, r => r.Name == "widgets/status");

        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CustomObjects.GetAPIResourcesAsync("dapr.io", "v1alpha1"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
        var groups = await _client.Apis.GetAPIVersionsAsync();
        Assert.Contains(groups.Groups, g => g.Name == "example.com");
    }

    private static JsonObject Widget(string name, int size) => new()
    {
        ["apiVersion"] = "example.com/v1",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["size"] = size },
    };

    private static JsonObject Json(object value) => JsonNode.Parse(value is JsonElement e ? e.GetRawText() : KubernetesJson.Serialize(value))!.AsObject();
}
