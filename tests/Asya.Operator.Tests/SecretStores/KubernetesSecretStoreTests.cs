using System.Text;
using System.Text.Json.Nodes;
using Asya.Components;
using Asya.Components.Abstractions;
using Asya.Testing;
using Asya.Testing.Kubernetes;
using Microsoft.Extensions.DependencyInjection;

namespace Asya.Operator.Tests.SecretStores;

public sealed class KubernetesSecretStoreTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _temp = new();
    private FakeKubeApiServer _server = null!;
    private string _kubeconfig = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeKubeApiServer.StartAsync();
        _kubeconfig = _server.WriteKubeconfig(_temp.Combine("kubeconfig"), ns: "team-a");
        _server.Store.Create(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "redis-auth", ["namespace"] = "team-a" },
            ["data"] = new JsonObject { ["password"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("s3cret")) },
        });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task GetSecret_ExistingSecret_ReturnsDecodedFields()
    {
        await using var loaded = await LoadAsync("defaultNamespace", "team-a");
        var store = await loaded.CreateAsync<ISecretStore>(loaded.Find("kubernetes")!, CancellationToken.None);

        var secret = await store.GetSecretAsync("redis-auth", CancellationToken.None);

        Assert.Equal("s3cret", secret!["password"]);
        Assert.Null(await store.GetSecretAsync("nope", CancellationToken.None));
    }

    [Fact]
    public async Task Load_SecretKeyRef_ResolvedThroughTheStore()
    {
        await using var loaded = await LoadAsync("defaultNamespace", "team-a");

        var mesh = loaded.Find("mesh")!;
        Assert.Equal("s3cret", mesh.Metadata["token"]);
        Assert.Contains("token", mesh.SecretKeys);
    }

    [Fact]
    public async Task Load_OtherNamespace_SecretNotFoundErrorNamesIt()
    {
        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(() => LoadAsync("defaultNamespace", "team-b"));

        Assert.Contains("secret 'redis-auth' not found in secret store 'kubernetes'", error.Message);
    }

    [Fact]
    public async Task Load_NoNamespaceGiven_KubeconfigNamespaceUsed()
    {
        await using var loaded = await LoadAsync(null, null);

        Assert.Equal("s3cret", loaded.Find("mesh")!.Metadata["token"]);
    }

    private async Task<LoadedComponents> LoadAsync(string? key, string? value)
    {
        var folder = _temp.Combine(Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var storeMetadata = new JsonArray(new JsonObject { ["name"] = "kubeconfigPath", ["value"] = _kubeconfig });
        if (key is not null)
        {
            storeMetadata.Add(new JsonObject { ["name"] = key, ["value"] = value });
        }

        await File.WriteAllTextAsync(Path.Combine(folder, "store.yaml"), new JsonObject
        {
            ["apiVersion"] = "dapr.io/v1alpha1",
            ["kind"] = "Component",
            ["metadata"] = new JsonObject { ["name"] = "kubernetes" },
            ["spec"] = new JsonObject { ["type"] = "secretstores.kubernetes", ["version"] = "v1", ["metadata"] = storeMetadata },
        }.ToJsonString());
        await File.WriteAllTextAsync(Path.Combine(folder, "mesh.yaml"), """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: mesh
            spec:
              type: pubsub.in-memory
              version: v1
              metadata:
                - name: token
                  secretKeyRef: {name: redis-auth, key: password}
            auth:
              secretStore: kubernetes
            """);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddBuiltInComponents();
        services.AddSingleton(new ComponentLoaderOptions { AppId = "test" });
        var provider = services.BuildServiceProvider();
        return await provider.GetRequiredService<ComponentLoader>().LoadAsync([folder], CancellationToken.None);
    }
}
